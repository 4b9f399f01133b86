// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format.Diagnostics;

namespace Haven.Apps.FileSystemSnapshots;

/// <summary>
/// LVM snapshots of the logical volume a path's file system is on: <c>lvcreate --snapshot</c>, mounted
/// read-only under /run/haven/fs-snapshots/NAME, unmounted and <c>lvremove</c>d afterwards.
/// </summary>
internal sealed class LvmSnapshotter : IVolumeSnapshotter
{
    public const string MountBase = "/run/haven/fs-snapshots";

    private readonly LocalFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly string _size;
    private readonly Action<string>? _onNotice;
    private readonly Dictionary<string, (MountEntry Mount, string VolumeGroup, string LogicalVolume)> _volumes = new(StringComparer.Ordinal);

    public LvmSnapshotter(LocalFileSystem fileSystem, TimeProvider time, string size, Action<string>? onNotice)
    {
        _fileSystem = fileSystem;
        _time = time;
        _size = size;
        _onNotice = onNotice;
    }

    public string Kind => "lvm";

    public async Task<string> VolumeRootOfAsync(string path, CancellationToken cancellationToken)
    {
        var mount = MountTable.Holding(path, _fileSystem.LinkStatus(path).Device)
            ?? throw new FileSystemSnapshotException($"cannot find the mount that holds {path} in /proc/self/mountinfo");
        string lines;
        try
        {
            lines = await ExternalTool.RunAsync(LvmCommands.Identify(mount.Source), cancellationToken).ConfigureAwait(false);
        }
        catch (FileSystemSnapshotException error)
        {
            throw new FileSystemSnapshotException($"{path} is on {mount.Source} ({mount.Type}, mounted at {mount.MountPoint}), which is not an LVM logical volume: use --fs-snapshot btrfs or auto for btrfs, or --fs-snapshot off to read the live files ({error.Message})", error);
        }

        string? group = LvmCommands.Field(lines, "LVM2_VG_NAME");
        string? volume = LvmCommands.Field(lines, "LVM2_LV_NAME");
        if (group is null || volume is null)
        {
            throw new FileSystemSnapshotException($"{path} is on {mount.Source}, which lvs does not name as a logical volume: use --fs-snapshot off to read the live files");
        }

        _volumes[mount.MountPoint] = (mount, group, volume);
        return mount.MountPoint;
    }

    public async Task<VolumeSnapshot> TakeAsync(string volumeRoot, CancellationToken cancellationToken)
    {
        var (mount, group, volume) = _volumes[volumeRoot];
        await RemoveLeftoversAsync(group, volume, cancellationToken).ConfigureAwait(false);
        string name = SnapshotName.Create(string.Empty, Environment.ProcessId, _time.GetUtcNow());
        string folder = MountBase + "/" + name;
        await ExternalTool.RunAsync(LvmCommands.Create(group, volume, name, _size), cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(folder);
            await ExternalTool.RunAsync(LvmCommands.Mount(group, name, mount.Type, folder), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await RemoveAsync(group, name, folder).ConfigureAwait(false);
            throw;
        }

        StopPoint.Reach(StopPoint.SourceSnapshotTaken);
        string root = mount.Root == "/" ? folder : folder + mount.Root;
        return new VolumeSnapshot
        {
            Kind = Kind,
            OriginRoot = volumeRoot,
            AccessRoot = root,
            OriginDevice = _fileSystem.LinkStatus(volumeRoot).Device,
            SnapshotDevice = _fileSystem.LinkStatus(root).Device,
            RemoveAsync = () => RemoveAsync(group, name, folder),
        };
    }

    private async Task RemoveLeftoversAsync(string group, string volume, CancellationToken cancellationToken)
    {
        string listing = await ExternalTool.RunAsync(LvmCommands.ListSnapshots(group), cancellationToken).ConfigureAwait(false);
        foreach (string line in listing.Split('\n'))
        {
            if (LvmCommands.Field(line, "LVM2_LV_NAME") is { } name && LvmCommands.Field(line, "LVM2_ORIGIN") == volume && SnapshotName.IsLeftover(name))
            {
                await RemoveAsync(group, name, MountBase + "/" + name).ConfigureAwait(false);
                _onNotice?.Invoke($"removed LVM snapshot {group}/{name}, left over by a backup that was killed");
            }
        }
    }

    private static async Task RemoveAsync(string group, string name, string folder)
    {
        if (MountTable.IsMounted(folder))
        {
            await ExternalTool.RunAsync(LvmCommands.Unmount(folder), CancellationToken.None).ConfigureAwait(false);
        }

        await ExternalTool.RunAsync(LvmCommands.Remove(group, name), CancellationToken.None).ConfigureAwait(false);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder);
        }
    }
}
