// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.FileSystemSnapshots;

namespace Haven.Apps.Tests.FileSystemSnapshots;

/// <summary>
/// The LVM command lines, checked without LVM: this machine's kernel has no device-mapper, so no
/// logical volume can be created here (see the README section "Filesystem snapshots").
/// </summary>
public sealed class LvmCommandTests
{
    [Fact]
    public void A_snapshot_is_created_with_an_absolute_size_or_a_share_of_its_origin()
    {
        Assert.Equal(["lvcreate", "--snapshot", "-L", "2G", "-n", "haven-snapshot-1-2", "vg0/root"], LvmCommands.Create("vg0", "root", "haven-snapshot-1-2", "2G"));
        Assert.Equal(["lvcreate", "--snapshot", "-l", "10%ORIGIN", "-n", "s", "vg0/root"], LvmCommands.Create("vg0", "root", "s", "10%ORIGIN"));
    }

    [Fact]
    public void Xfs_snapshots_are_mounted_read_only_with_nouuid_and_others_read_only()
    {
        Assert.Equal(["mount", "-o", "ro,nouuid", "/dev/vg0/s", "/run/x"], LvmCommands.Mount("vg0", "s", "xfs", "/run/x"));
        Assert.Equal(["mount", "-o", "ro", "/dev/vg0/s", "/run/x"], LvmCommands.Mount("vg0", "s", "ext4", "/run/x"));
        Assert.Equal(["lvremove", "-f", "vg0/s"], LvmCommands.Remove("vg0", "s"));
    }

    [Fact]
    public void Names_and_origins_are_read_from_lvs_name_prefixed_output()
    {
        const string line = "  LVM2_LV_NAME='haven-snapshot-12-1700000000' LVM2_ORIGIN='root'";
        Assert.Equal("haven-snapshot-12-1700000000", LvmCommands.Field(line, "LVM2_LV_NAME"));
        Assert.Equal("root", LvmCommands.Field(line, "LVM2_ORIGIN"));
        Assert.Null(LvmCommands.Field(line, "LVM2_VG_NAME"));
    }

    [Fact]
    public void Mountinfo_lines_give_device_mount_point_type_and_source_with_escapes_undone()
    {
        var mount = MountTable.Parse(@"36 35 253:1 / /srv/my\040data rw,noatime shared:1 - xfs /dev/mapper/vg0-data rw");

        Assert.Equal((253u, 1u), (mount.Major, mount.Minor));
        Assert.Equal("/srv/my data", mount.MountPoint);
        Assert.Equal("xfs", mount.Type);
        Assert.Equal("/dev/mapper/vg0-data", mount.Source);
    }

    [Fact]
    public void A_snapshot_name_is_a_leftover_only_when_its_process_is_gone_or_younger_than_it()
    {
        Assert.False(SnapshotName.IsLeftover(SnapshotName.Create(".", Environment.ProcessId, DateTimeOffset.UtcNow)));
        Assert.True(SnapshotName.IsLeftover(SnapshotName.Create(".", 1, DateTimeOffset.FromUnixTimeSeconds(1))));
        Assert.False(SnapshotName.IsLeftover("haven-snapshot-notes"));
    }
}
