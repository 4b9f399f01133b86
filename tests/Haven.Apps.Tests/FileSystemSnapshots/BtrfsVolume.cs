// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Apps.Tests.FileSystemSnapshots;

/// <summary>A real btrfs file system in a 300 MB image file, mounted through a loop device; unmounted and detached on Dispose.</summary>
internal sealed class BtrfsVolume : IDisposable
{
    private readonly string _image;

    public BtrfsVolume(TempDirectory temp)
    {
        _image = temp.Combine("btrfs.img");
        MountPoint = temp.CreateSubdirectory("btrfs");
        using (var image = File.Create(_image))
        {
            image.SetLength(300L << 20);
        }

        ProcessRunner.RunChecked("mkfs.btrfs", ["-q", _image]);
        try
        {
            // -o loop attaches a loop device with autoclear: unmounting detaches it.
            ProcessRunner.RunChecked("mount", ["-o", "loop", _image, MountPoint]);
        }
        catch
        {
            DetachLoopDevices();
            throw;
        }
    }

    public string MountPoint { get; }

    /// <summary>The snapshots Haven placed in the volume's root subvolume and has not removed.</summary>
    public string[] HavenSnapshots() => [.. Directory.GetDirectories(MountPoint, ".haven-snapshot-*").Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        var unmount = ProcessRunner.Run("umount", [MountPoint]);
        if (unmount.ExitCode != 0)
        {
            ProcessRunner.Run("umount", ["-l", MountPoint]);
        }

        DetachLoopDevices();
    }

    private void DetachLoopDevices()
    {
        foreach (string line in ProcessRunner.Run("losetup", ["-j", _image]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            ProcessRunner.Run("losetup", ["-d", line[..line.IndexOf(':', StringComparison.Ordinal)]]);
        }
    }
}
