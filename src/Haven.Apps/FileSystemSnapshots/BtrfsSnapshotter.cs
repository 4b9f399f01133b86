// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format.Diagnostics;

namespace Haven.Apps.FileSystemSnapshots;

/// <summary>
/// Read-only btrfs snapshots (<c>btrfs subvolume snapshot -r</c>) of the subvolume holding a path,
/// placed inside that subvolume as ".haven-snapshot-PID-TIME" (a snapshot does not contain
/// itself, and a subvolume root is always writable where its files are). Subvolumes nested below
/// it are not in the snapshot (they appear as empty folders); give them as paths of their own.
/// </summary>
internal sealed class BtrfsSnapshotter : IVolumeSnapshotter
{
    // Every subvolume's root folder has this inode number (BTRFS_FIRST_FREE_OBJECTID).
    private const ulong SubvolumeRootInode = 256;

    private readonly LocalFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly Action<string>? _onNotice;

    public BtrfsSnapshotter(LocalFileSystem fileSystem, TimeProvider time, Action<string>? onNotice)
    {
        _fileSystem = fileSystem;
        _time = time;
        _onNotice = onNotice;
    }

    public string Kind => "btrfs";

    public Task<string> VolumeRootOfAsync(string path, CancellationToken cancellationToken)
    {
        string type = FileSystemType.Of(path);
        if (type != FileSystemType.Btrfs)
        {
            throw new FileSystemSnapshotException($"{path} is on {type}, not btrfs: use --fs-snapshot lvm or auto if it is on an LVM volume, or --fs-snapshot off to read the live files");
        }

        var status = _fileSystem.LinkStatus(path);
        string folder = status.IsDirectory ? path : Parent(path);
        ulong device = _fileSystem.LinkStatus(folder).Device;
        while (true)
        {
            var current = _fileSystem.LinkStatus(folder);
            if (current.IsSymlink || current.Device != device)
            {
                throw new FileSystemSnapshotException($"cannot find the btrfs subvolume holding {path}: {folder} is {(current.IsSymlink ? "a symlink" : "on another volume")}; give the path without symlinks, and not through a bind mount");
            }

            if (current.Inode == SubvolumeRootInode)
            {
                return Task.FromResult(folder);
            }

            if (folder == "/")
            {
                throw new FileSystemSnapshotException($"cannot find the btrfs subvolume holding {path}");
            }

            folder = Parent(folder);
        }
    }

    public async Task<VolumeSnapshot> TakeAsync(string volumeRoot, CancellationToken cancellationToken)
    {
        await RemoveLeftoversAsync(volumeRoot, cancellationToken).ConfigureAwait(false);
        string snapshot = Join(volumeRoot, SnapshotName.Create(".", Environment.ProcessId, _time.GetUtcNow()));
        await ExternalTool.RunAsync(["btrfs", "subvolume", "snapshot", "-r", volumeRoot, snapshot], cancellationToken).ConfigureAwait(false);
        StopPoint.Reach(StopPoint.SourceSnapshotTaken);
        return new VolumeSnapshot
        {
            Kind = Kind,
            OriginRoot = volumeRoot,
            AccessRoot = snapshot,
            OriginDevice = _fileSystem.LinkStatus(volumeRoot).Device,
            SnapshotDevice = _fileSystem.LinkStatus(snapshot).Device,
            RemoveAsync = () => DeleteAsync(snapshot),
        };
    }

    private async Task RemoveLeftoversAsync(string volumeRoot, CancellationToken cancellationToken)
    {
        foreach (string name in _fileSystem.ReadDirectory(volumeRoot).Where(SnapshotName.IsLeftover).Order(StringComparer.Ordinal))
        {
            string leftover = Join(volumeRoot, name);
            await DeleteAsync(leftover).ConfigureAwait(false);
            _onNotice?.Invoke($"removed btrfs snapshot {leftover}, left over by a backup that was killed");
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static Task DeleteAsync(string snapshot) =>
        ExternalTool.RunAsync(["btrfs", "subvolume", "delete", "--commit-after", snapshot], CancellationToken.None);

    private static string Parent(string path) => Path.GetDirectoryName(path) ?? "/";

    private static string Join(string folder, string name) => folder == "/" ? "/" + name : folder + "/" + name;
}
