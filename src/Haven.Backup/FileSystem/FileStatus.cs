// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.FileSystem;

/// <summary>
/// What stat(2) says about one inode. <see cref="Mode"/> is the raw st_mode including the type
/// bits; <see cref="Device"/> and <see cref="RDevice"/> combine major and minor the way glibc's
/// makedev does, so they equal st_dev and st_rdev.
/// </summary>
public readonly record struct FileStatus
{
    private const uint TypeMask = 0xF000;

    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long Size { get; init; }

    public ulong Inode { get; init; }

    public ulong Device { get; init; }

    public ulong RDevice { get; init; }

    public ulong Links { get; init; }

    /// <summary>Allocated space in 512-byte units; less than the size means the file has holes.</summary>
    public long Blocks { get; init; }

    public long AccessSeconds { get; init; }

    public int AccessNanoseconds { get; init; }

    public long ModifySeconds { get; init; }

    public int ModifyNanoseconds { get; init; }

    public long ChangeSeconds { get; init; }

    public int ChangeNanoseconds { get; init; }

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsSymlink => (Mode & TypeMask) == 0xA000;

    public bool IsFifo => (Mode & TypeMask) == 0x1000;

    public bool IsSocket => (Mode & TypeMask) == 0xC000;

    public bool IsCharDevice => (Mode & TypeMask) == 0x2000;

    public bool IsBlockDevice => (Mode & TypeMask) == 0x6000;

    /// <summary>The permission bits including setuid, setgid and sticky (st_mode &amp; 07777).</summary>
    public uint Permissions => Mode & 0xFFF;
}
