// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Browsing;

/// <summary>What one side of a diff added or removed: entries by kind, blobs by type, and the blobs' plaintext bytes.</summary>
public sealed class DiffCounts
{
    public int Files { get; internal set; }

    public int Dirs { get; internal set; }

    public int Others { get; internal set; }

    public int DataBlobs { get; internal set; }

    public int TreeBlobs { get; internal set; }

    public ulong Bytes { get; internal set; }
}
