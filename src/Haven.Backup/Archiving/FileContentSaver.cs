// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using Haven.Format;
using Haven.Format.Chunking;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Archiving;

/// <summary>
/// Reads one file, cuts it into content-defined chunks and hashes them, handing each chunk to the
/// saver pool. Returns the chunk IDs in file order and the number of bytes read.
/// </summary>
internal sealed class FileContentSaver
{
    private const int ReadSize = 1 << 20;

    private readonly Polynomial _polynomial;
    private readonly BlobSaverPool _savers;
    private readonly BackupStatus _status;

    public FileContentSaver(Polynomial polynomial, BlobSaverPool savers, BackupStatus status)
    {
        _polynomial = polynomial;
        _savers = savers;
        _status = status;
    }

    public Task<(List<Id> Content, long Size)> SaveAsync(SafeFileHandle file, CancellationToken cancellationToken)
    {
        long position = 0;
        return SaveAsync(
            async (buffer, ct) =>
            {
                int n = await RandomAccess.ReadAsync(file, buffer, position, ct).ConfigureAwait(false);
                position += n;
                return n;
            },
            cancellationToken);
    }

    public Task<(List<Id> Content, long Size)> SaveAsync(Stream stream, CancellationToken cancellationToken) =>
        SaveAsync((buffer, ct) => stream.ReadAsync(buffer, ct), cancellationToken);

    private async Task<(List<Id> Content, long Size)> SaveAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> read, CancellationToken cancellationToken)
    {
        var chunker = new Chunker(_polynomial);
        var content = new List<Id>();
        long offset = 0;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(Chunker.MaxSize + ReadSize);
        int filled = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = await read(chunk.AsMemory(filled, ReadSize), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                offset += n;
                _status.AddBytesRead(n);
                int scanFrom = filled;
                filled += n;
                while (scanFrom < filled)
                {
                    int cut = chunker.FindCut(chunk.AsSpan(scanFrom, filled - scanFrom));
                    if (cut < 0)
                    {
                        break;
                    }

                    int chunkLength = scanFrom + cut;
                    byte[] next = ArrayPool<byte>.Shared.Rent(Chunker.MaxSize + ReadSize);
                    int rest = filled - chunkLength;
                    chunk.AsSpan(chunkLength, rest).CopyTo(next);
                    await EmitAsync(content, chunk, chunkLength).ConfigureAwait(false);
                    chunk = next;
                    filled = rest;
                    scanFrom = 0;
                }
            }

            if (filled > 0)
            {
                await EmitAsync(content, chunk, filled).ConfigureAwait(false);
                chunk = [];
            }
        }
        finally
        {
            if (chunk.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        return (content, offset);
    }

    private ValueTask EmitAsync(List<Id> content, byte[] buffer, int length)
    {
        var id = Id.Hash(buffer.AsSpan(0, length));
        content.Add(id);
        return _savers.EnqueueAsync(BlobType.Data, id, buffer, length, _status.OnDataBlobStored);
    }
}
