// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;

namespace Haven.Backup.FileSystem;

/// <summary>
/// open(2) flags. Most are the same everywhere, but O_DIRECTORY and O_NOFOLLOW differ between
/// x86_64 (0200000, 0400000) and aarch64 (040000, 0100000).
/// </summary>
internal static class OpenFlags
{
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int NoAccessTime = 0x40000;
    public const int CloseOnExec = 0x80000;

    private static readonly bool s_isArm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static int Directory { get; } = s_isArm64 ? 0x4000 : 0x10000;

    public static int NoFollow { get; } = s_isArm64 ? 0x8000 : 0x20000;
}
