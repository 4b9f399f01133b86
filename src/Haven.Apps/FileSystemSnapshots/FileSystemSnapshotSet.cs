// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;
using Haven.Backup.FileSystem;

namespace Haven.Apps.FileSystemSnapshots;

/// <summary>
/// The filesystem snapshots one backup reads from: one per volume holding a path, taken before the
/// backup and removed by <see cref="DisposeAsync"/> whatever its outcome. <see cref="Apply"/> points
/// the archiver at them while the snapshot records the original paths.
/// </summary>
public sealed class FileSystemSnapshotSet : IAsyncDisposable
{
    private readonly List<VolumeSnapshot> _snapshots = [];
    private readonly Dictionary<string, string> _sourceRoots = new(StringComparer.Ordinal);
    private readonly Action<string>? _onWarning;

    private FileSystemSnapshotSet(Action<string>? onWarning)
    {
        _onWarning = onWarning;
    }

    public IReadOnlyList<VolumeSnapshot> Snapshots => _snapshots;

    /// <summary>Takes a snapshot of every volume holding one of <paramref name="paths"/>; on failure, those taken so far are removed.</summary>
    /// <param name="lvmSize">Copy-on-write space of an LVM snapshot: "2G" or "10%ORIGIN".</param>
    /// <param name="onNotice">Told about leftovers removed and snapshots taken.</param>
    /// <param name="onWarning">Told when a snapshot cannot be removed (the next run removes it).</param>
    public static async Task<FileSystemSnapshotSet> TakeAsync(
        FileSystemSnapshotMode mode, IReadOnlyList<string> paths, string lvmSize, TimeProvider time,
        Action<string>? onNotice, Action<string>? onWarning, CancellationToken cancellationToken)
    {
        var set = new FileSystemSnapshotSet(onWarning);
        if (mode == FileSystemSnapshotMode.Off)
        {
            return set;
        }

        var fileSystem = new LocalFileSystem();
        var btrfs = new BtrfsSnapshotter(fileSystem, time, onNotice);
        var lvm = new LvmSnapshotter(fileSystem, time, lvmSize, onNotice);
        var taken = new Dictionary<(string Kind, string Root), VolumeSnapshot>();
        try
        {
            foreach (string path in paths)
            {
                IVolumeSnapshotter snapshotter = mode switch
                {
                    FileSystemSnapshotMode.Btrfs => btrfs,
                    FileSystemSnapshotMode.Lvm => lvm,
                    _ => FileSystemType.Of(path) == FileSystemType.Btrfs ? btrfs : lvm,
                };
                string root = await snapshotter.VolumeRootOfAsync(path, cancellationToken).ConfigureAwait(false);
                if (!taken.TryGetValue((snapshotter.Kind, root), out var snapshot))
                {
                    snapshot = await snapshotter.TakeAsync(root, cancellationToken).ConfigureAwait(false);
                    taken.Add((snapshotter.Kind, root), snapshot);
                    set._snapshots.Add(snapshot);
                    onNotice?.Invoke($"reading {root} from {snapshot.Kind} snapshot {snapshot.AccessRoot}");
                }

                set._sourceRoots[path] = snapshot.AccessPathOf(path);
            }
        }
        catch
        {
            await set.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return set;
    }

    /// <summary><paramref name="options"/> reading every path from its snapshot, recording the original paths and devices.</summary>
    public BackupOptions Apply(BackupOptions options) => _snapshots.Count == 0 ? options : options with
    {
        SourceRoots = _sourceRoots,
        DeviceAliases = _snapshots.ToDictionary(snapshot => snapshot.SnapshotDevice, snapshot => snapshot.OriginDevice),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var snapshot in _snapshots)
        {
            try
            {
                await snapshot.RemoveAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (error is FileSystemSnapshotException or IOException)
            {
                _onWarning?.Invoke($"cannot remove {snapshot.Kind} snapshot {snapshot.AccessRoot}: {error.Message}; the next backup with --fs-snapshot removes it");
            }
        }

        _snapshots.Clear();
    }
}
