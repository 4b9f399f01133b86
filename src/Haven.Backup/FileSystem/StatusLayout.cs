// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Haven.Backup.FileSystem;

/// <summary>
/// Decodes the kernel's stat buffers by byte offset. struct statx is the same on every
/// architecture (linux/stat.h); struct stat differs: x86_64 has its own layout (144 bytes,
/// 64-bit st_nlink before st_mode), aarch64 uses asm-generic (128 bytes, 32-bit st_nlink after st_mode).
/// </summary>
internal static class StatusLayout
{
    public const int StatxSize = 256;
    public const int StatSize = 144;

    private static readonly bool s_isArm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static FileStatus FromStatx(ReadOnlySpan<byte> b) => new()
    {
        Links = U32(b, 16),
        Uid = U32(b, 20),
        Gid = U32(b, 24),
        Mode = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]),
        Inode = U64(b, 32),
        Size = (long)U64(b, 40),
        Blocks = (long)U64(b, 48),
        AccessSeconds = I64(b, 64),
        AccessNanoseconds = (int)U32(b, 72),
        ChangeSeconds = I64(b, 96),
        ChangeNanoseconds = (int)U32(b, 104),
        ModifySeconds = I64(b, 112),
        ModifyNanoseconds = (int)U32(b, 120),
        RDevice = DeviceNumber.Make(U32(b, 128), U32(b, 132)),
        Device = DeviceNumber.Make(U32(b, 136), U32(b, 140)),
    };

    public static FileStatus FromStat(ReadOnlySpan<byte> b) => s_isArm64 ? FromGenericStat(b) : FromX64Stat(b);

    private static FileStatus FromX64Stat(ReadOnlySpan<byte> b) => new()
    {
        Device = U64(b, 0),
        Inode = U64(b, 8),
        Links = U64(b, 16),
        Mode = U32(b, 24),
        Uid = U32(b, 28),
        Gid = U32(b, 32),
        RDevice = U64(b, 40),
        Size = I64(b, 48),
        Blocks = I64(b, 64),
        AccessSeconds = I64(b, 72),
        AccessNanoseconds = (int)I64(b, 80),
        ModifySeconds = I64(b, 88),
        ModifyNanoseconds = (int)I64(b, 96),
        ChangeSeconds = I64(b, 104),
        ChangeNanoseconds = (int)I64(b, 112),
    };

    private static FileStatus FromGenericStat(ReadOnlySpan<byte> b) => new()
    {
        Device = U64(b, 0),
        Inode = U64(b, 8),
        Mode = U32(b, 16),
        Links = U32(b, 20),
        Uid = U32(b, 24),
        Gid = U32(b, 28),
        RDevice = U64(b, 32),
        Size = I64(b, 48),
        Blocks = I64(b, 64),
        AccessSeconds = I64(b, 72),
        AccessNanoseconds = (int)I64(b, 80),
        ModifySeconds = I64(b, 88),
        ModifyNanoseconds = (int)I64(b, 96),
        ChangeSeconds = I64(b, 104),
        ChangeNanoseconds = (int)I64(b, 112),
    };

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);

    private static long I64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadInt64LittleEndian(b[offset..]);
}
