// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.FileSystemSnapshots;

/// <summary>One kind of filesystem snapshot (btrfs, LVM).</summary>
internal interface IVolumeSnapshotter
{
    string Kind { get; }

    /// <summary>The root of the volume holding <paramref name="path"/>; throws naming the path when it cannot be snapshotted this way.</summary>
    Task<string> VolumeRootOfAsync(string path, CancellationToken cancellationToken);

    /// <summary>Removes snapshots of the volume left by killed runs, then takes a new one.</summary>
    Task<VolumeSnapshot> TakeAsync(string volumeRoot, CancellationToken cancellationToken);
}
