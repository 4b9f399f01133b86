// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Repository.Errors;

namespace Haven.Backup.Browsing;

/// <summary>
/// A file's content read from its blobs one at a time, so dumping a large file needs one blob of
/// memory. Its length comes from the index; it can be read forward only.
/// </summary>
public sealed class FileContentStream : Stream
{
    private readonly Repository.Repository _repository;
    private readonly IReadOnlyList<Id> _content;
    private readonly long _length;
    private int _next;
    private byte[] _current = [];
    private int _offset;
    private long _position;

    public FileContentStream(Repository.Repository repository, IReadOnlyList<Id> content)
    {
        _repository = repository;
        _content = content;
        foreach (var id in content)
        {
            if (!repository.Index.TryGet(new BlobHandle(id, BlobType.Data), out var location))
            {
                throw new DamagedDataException($"data blob {id} is not in the index: the repository is missing data; run 'haven check'");
            }

            _length += location.PlaintextLength;
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            if (value != _position)
            {
                throw new NotSupportedException("this stream is read forward only");
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_offset == _current.Length)
        {
            if (_next == _content.Count)
            {
                return 0;
            }

            _current = _repository.LoadBlobAsync(new BlobHandle(_content[_next++], BlobType.Data), CancellationToken.None).GetAwaiter().GetResult();
            _offset = 0;
        }

        int n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _current.Length)
        {
            if (_next == _content.Count)
            {
                return 0;
            }

            _current = await _repository.LoadBlobAsync(new BlobHandle(_content[_next++], BlobType.Data), cancellationToken).ConfigureAwait(false);
            _offset = 0;
        }

        int n = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        Position = target;
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
