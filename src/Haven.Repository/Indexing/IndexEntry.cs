// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Repository.Indexing;

/// <summary>
/// One index entry in 48 bytes: the blob ID, then the pack number, the blob type and whether an
/// earlier entry already holds the same blob, packed into one word, then offset and lengths.
/// </summary>
internal readonly struct IndexEntry
{
    private const uint TreeBit = 1;
    private const uint DuplicateBit = 2;
    private const int PackShift = 2;

    private readonly uint _packAndFlags;

    public IndexEntry(BlobHandle handle, int pack, uint offset, uint length, uint uncompressedLength, bool duplicate)
    {
        Id = handle.Id;
        _packAndFlags = ((uint)pack << PackShift) | (handle.Type == BlobType.Tree ? TreeBit : 0) | (duplicate ? DuplicateBit : 0);
        Offset = offset;
        Length = length;
        UncompressedLength = uncompressedLength;
    }

    /// <summary>The largest pack number an entry can hold.</summary>
    public const int MaxPack = int.MaxValue >> PackShift;

    public Id Id { get; }

    public uint Offset { get; }

    public uint Length { get; }

    public uint UncompressedLength { get; }

    public bool IsTree => (_packAndFlags & TreeBit) != 0;

    /// <summary>True when an earlier entry holds the same blob: lookups never return this one.</summary>
    public bool IsDuplicate => (_packAndFlags & DuplicateBit) != 0;

    public int Pack => (int)(_packAndFlags >> PackShift);

    public BlobHandle Handle => new(Id, IsTree ? BlobType.Tree : BlobType.Data);

    public IndexEntry AsDuplicate(bool duplicate) => new(Handle, Pack, Offset, Length, UncompressedLength, duplicate);
}
