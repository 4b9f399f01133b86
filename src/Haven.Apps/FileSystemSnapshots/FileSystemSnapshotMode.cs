// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.FileSystemSnapshots;

/// <summary>Which kind of point-in-time snapshot a backup reads from (--fs-snapshot).</summary>
public enum FileSystemSnapshotMode
{
    /// <summary>Read the live files.</summary>
    Off,

    /// <summary>A read-only btrfs snapshot of the subvolume holding each path.</summary>
    Btrfs,

    /// <summary>An LVM snapshot of the logical volume holding each path, mounted read-only.</summary>
    Lvm,

    /// <summary>btrfs or LVM, by the file system each path is on.</summary>
    Auto,
}
