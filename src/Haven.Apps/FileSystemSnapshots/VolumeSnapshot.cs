// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.FileSystemSnapshots;

/// <summary>
/// A point-in-time copy of the volume (btrfs subvolume or LVM file system) whose root is
/// <see cref="OriginRoot"/>, readable below <see cref="AccessRoot"/> until it is removed.
/// </summary>
public sealed class VolumeSnapshot
{
    public required string Kind { get; init; }

    /// <summary>The root folder of the snapshotted volume on the live system.</summary>
    public required string OriginRoot { get; init; }

    /// <summary>Where the snapshot's copy of <see cref="OriginRoot"/> is read.</summary>
    public required string AccessRoot { get; init; }

    public required ulong OriginDevice { get; init; }

    public required ulong SnapshotDevice { get; init; }

    /// <summary>Deletes the snapshot; run once, with no cancellation, after the backup whatever its outcome.</summary>
    public required Func<Task> RemoveAsync { get; init; }

    /// <summary>Where <paramref name="path"/>, a path at or below <see cref="OriginRoot"/>, is found in the snapshot.</summary>
    public string AccessPathOf(string path) =>
        path == OriginRoot ? AccessRoot : AccessRoot + (OriginRoot == "/" ? path : path[OriginRoot.Length..]);
}
