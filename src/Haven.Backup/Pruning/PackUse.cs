// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Pruning;

/// <summary>How much of one pack is still in use, by stored bytes (the header counts as used) and blobs.</summary>
internal sealed class PackUse
{
    public PackUse(Id id)
    {
        Id = id;
    }

    public Id Id { get; }

    public BlobType? Type { get; set; }

    /// <summary>The pack holds both data and tree blobs (restic always repacks such packs).</summary>
    public bool Mixed { get; set; }

    /// <summary>The pack holds an uncompressed tree blob; repository v2 stores them compressed.</summary>
    public bool UncompressedTree { get; set; }

    public long UsedBytes { get; set; }

    public long UnusedBytes { get; set; }

    public int UsedBlobs { get; set; }

    public int UnusedBlobs { get; set; }

    public long Size => UsedBytes + UnusedBytes;

    public bool IsDataOnly => Type == BlobType.Data && !Mixed;
}
