// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using Haven.Format.Crypto;

namespace Haven.Format.Packs;

/// <summary>
/// Builds one pack in memory from already sealed blobs. Not thread-safe: one writer per pack.
/// </summary>
public sealed class PackWriter
{
    private readonly MasterKey _key;
    private readonly List<PackedBlob> _blobs = [];
    private readonly HashSet<BlobHandle> _handles = [];
    private byte[] _buffer;
    private int _length;
    private bool _finished;

    public PackWriter(MasterKey key, int initialCapacity = 0)
        : this(key, new byte[Math.Max(0, initialCapacity)])
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
    }

    /// <summary>
    /// Builds the pack in <paramref name="buffer"/> (for instance one reused from an earlier pack); a
    /// pack that outgrows it moves to a larger array, which <see cref="FinishedPack.Content"/> then shows.
    /// </summary>
    public PackWriter(MasterKey key, byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(buffer);
        _key = key;
        _buffer = buffer;
    }

    /// <summary>Bytes of blob data added so far (the header is not yet counted).</summary>
    public long Size => _length;

    public int Count => _blobs.Count;

    public bool Contains(BlobHandle handle) => _handles.Contains(handle);

    public void Add(BlobHandle handle, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (sealedBlob.Length < MasterKey.Overhead)
        {
            throw new ArgumentException($"a sealed blob is at least {MasterKey.Overhead} bytes, got {sealedBlob.Length}", nameof(sealedBlob));
        }

        if (Size + sealedBlob.Length > uint.MaxValue || Size + sealedBlob.Length > Array.MaxLength)
        {
            throw new InvalidOperationException("a pack cannot grow beyond 4 GiB: offsets are 32-bit");
        }

        if (!_handles.Add(handle))
        {
            throw new InvalidOperationException($"blob {handle} is already in this pack");
        }

        _blobs.Add(new PackedBlob(handle, (uint)Size, (uint)sealedBlob.Length, uncompressedLength));
        sealedBlob.CopyTo(Reserve(sealedBlob.Length));
        _length += sealedBlob.Length;
    }

    /// <summary>Appends the sealed header and its length and names the pack. The writer cannot be used afterwards.</summary>
    public FinishedPack Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        byte[] header = PackHeader.Encode(_blobs);
        int sealedLength = header.Length + MasterKey.Overhead;
        Span<byte> target = Reserve(sealedLength + 4);
        _key.Seal(header, target);
        BinaryPrimitives.WriteUInt32LittleEndian(target[sealedLength..], (uint)sealedLength);
        _length += sealedLength + 4;
        ReadOnlyMemory<byte> content = _buffer.AsMemory(0, _length);
        return new FinishedPack(Id.Hash(content.Span), content, _blobs.ToArray());
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            long wanted = Math.Max((long)_length + count, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
            Array.Resize(ref _buffer, (int)Math.Max(wanted, 256));
        }

        return _buffer.AsSpan(_length, count);
    }
}
