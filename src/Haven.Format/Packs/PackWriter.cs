// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Buffers.Binary;
using Haven.Format.Crypto;

namespace Haven.Format.Packs;

/// <summary>
/// Builds one pack in memory from already sealed blobs. Not thread-safe: one writer per pack.
/// </summary>
public sealed class PackWriter
{
    private readonly MasterKey _key;
    private readonly ArrayBufferWriter<byte> _content;
    private readonly List<PackedBlob> _blobs = [];
    private readonly HashSet<BlobHandle> _handles = [];
    private bool _finished;

    public PackWriter(MasterKey key, int initialCapacity = 0)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _key = key;
        _content = initialCapacity > 0 ? new ArrayBufferWriter<byte>(initialCapacity) : new ArrayBufferWriter<byte>();
    }

    /// <summary>Bytes of blob data added so far (the header is not yet counted).</summary>
    public long Size => _content.WrittenCount;

    public int Count => _blobs.Count;

    public bool Contains(BlobHandle handle) => _handles.Contains(handle);

    public void Add(BlobHandle handle, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (sealedBlob.Length < MasterKey.Overhead)
        {
            throw new ArgumentException($"a sealed blob is at least {MasterKey.Overhead} bytes, got {sealedBlob.Length}", nameof(sealedBlob));
        }

        if (Size + sealedBlob.Length > uint.MaxValue)
        {
            throw new InvalidOperationException("a pack cannot grow beyond 4 GiB: offsets are 32-bit");
        }

        if (!_handles.Add(handle))
        {
            throw new InvalidOperationException($"blob {handle} is already in this pack");
        }

        _blobs.Add(new PackedBlob(handle, (uint)Size, (uint)sealedBlob.Length, uncompressedLength));
        _content.Write(sealedBlob);
    }

    /// <summary>Appends the sealed header and its length and names the pack. The writer cannot be used afterwards.</summary>
    public FinishedPack Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        byte[] header = PackHeader.Encode(_blobs);
        int sealedLength = header.Length + MasterKey.Overhead;
        Span<byte> target = _content.GetSpan(sealedLength + 4);
        _key.Seal(header, target);
        BinaryPrimitives.WriteUInt32LittleEndian(target[sealedLength..], (uint)sealedLength);
        _content.Advance(sealedLength + 4);
        ReadOnlyMemory<byte> content = _content.WrittenMemory;
        return new FinishedPack(Id.Hash(content.Span), content, _blobs.ToArray());
    }
}
