// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.FileSystem;

/// <summary>glibc's dev_t encoding of a major and minor number (bits/sysmacros.h).</summary>
public static class DeviceNumber
{
    public static ulong Make(uint major, uint minor) =>
        ((ulong)(major & 0x00000fffu) << 8)
        | ((ulong)(major & 0xfffff000u) << 32)
        | (minor & 0x000000ffu)
        | ((ulong)(minor & 0xffffff00u) << 12);

    public static uint Major(ulong device) =>
        (uint)(((device >> 8) & 0x00000fffu) | ((device >> 32) & 0xfffff000u));

    public static uint Minor(ulong device) =>
        (uint)((device & 0x000000ffu) | ((device >> 12) & 0xffffff00u));
}
