// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.FileSystemSnapshots;

/// <summary>The LVM and mount command lines an LVM snapshot takes, built in one place so they can be checked without LVM.</summary>
internal static class LvmCommands
{
    /// <summary>Asks which volume group and logical volume <paramref name="device"/> is; fails when it is not one.</summary>
    public static string[] Identify(string device) => ["lvs", "--noheadings", "--nameprefixes", "-o", "vg_name,lv_name", device];

    /// <summary>Lists the logical volumes of <paramref name="volumeGroup"/> with their origins, to find leftover snapshots.</summary>
    public static string[] ListSnapshots(string volumeGroup) => ["lvs", "--noheadings", "--nameprefixes", "-o", "lv_name,origin", volumeGroup];

    /// <summary>
    /// lvcreate -s; <paramref name="size"/> is the copy-on-write space: an absolute size ("2G") goes to -L,
    /// a share ("10%ORIGIN") to -l.
    /// </summary>
    public static string[] Create(string volumeGroup, string logicalVolume, string name, string size) =>
        ["lvcreate", "--snapshot", size.Contains('%', StringComparison.Ordinal) ? "-l" : "-L", size, "-n", name, $"{volumeGroup}/{logicalVolume}"];

    /// <summary>Mounts the snapshot read-only; XFS refuses a second mount of the same file system UUID without nouuid.</summary>
    public static string[] Mount(string volumeGroup, string name, string fileSystemType, string folder) =>
        ["mount", "-o", fileSystemType == FileSystemType.Xfs ? "ro,nouuid" : "ro", $"/dev/{volumeGroup}/{name}", folder];

    public static string[] Unmount(string folder) => ["umount", folder];

    public static string[] Remove(string volumeGroup, string name) => ["lvremove", "-f", $"{volumeGroup}/{name}"];

    /// <summary>The value of KEY in lvs --nameprefixes output such as "  LVM2_VG_NAME='vg' LVM2_LV_NAME='root'".</summary>
    public static string? Field(string line, string key)
    {
        string marker = key + "='";
        int start = line.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        int end = line.IndexOf('\'', start);
        return end < 0 ? null : line[start..end];
    }
}
