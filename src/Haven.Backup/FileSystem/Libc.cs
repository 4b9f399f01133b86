// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>
/// The libc calls the file-system layer needs. Paths are NUL-terminated raw bytes (see
/// <see cref="NativePath"/>), never .NET-marshalled strings, so names that are not UTF-8 survive.
/// Every <c>*at</c> call takes a directory descriptor; <see cref="CurrentDirectory"/> (AT_FDCWD) means
/// "relative to the working directory", which makes the plain path calls a special case of the relative ones.
/// </summary>
internal static unsafe partial class Libc
{
    /// <summary>AT_FDCWD wrapped in a handle that is never closed.</summary>
    public static readonly SafeFileHandle CurrentDirectory = new(-100, ownsHandle: false);

    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDirectory = 0x200;
    public const int AtEmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;
    public const int SeekData = 3;
    public const int SeekHole = 4;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int statx(SafeFileHandle dirfd, ReadOnlySpan<byte> path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fstatat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, Span<byte> buffer, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int openat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint getdents64(SafeFileHandle fd, Span<byte> buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint readlinkat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, Span<byte> buffer, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint llistxattr(ReadOnlySpan<byte> path, Span<byte> list, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint lgetxattr(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name, Span<byte> value, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int lsetxattr(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int mkdirat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int symlinkat(ReadOnlySpan<byte> target, SafeFileHandle dirfd, ReadOnlySpan<byte> path);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int linkat(SafeFileHandle olddirfd, ReadOnlySpan<byte> oldPath, SafeFileHandle newdirfd, ReadOnlySpan<byte> newPath, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int mknodat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, uint mode, ulong dev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchownat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, uint uid, uint gid, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchmodat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, uint mode, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchown(SafeFileHandle fd, uint uid, uint gid);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchmod(SafeFileHandle fd, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int futimens(SafeFileHandle fd, ReadOnlySpan<long> times);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsetxattr(SafeFileHandle fd, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, nuint size, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int utimensat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, ReadOnlySpan<long> times, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unlinkat(SafeFileHandle dirfd, ReadOnlySpan<byte> path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int renameat(SafeFileHandle olddirfd, ReadOnlySpan<byte> oldPath, SafeFileHandle newdirfd, ReadOnlySpan<byte> newPath);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ftruncate(SafeFileHandle fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fsync(SafeFileHandle fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial long lseek(SafeFileHandle fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int gethostname(Span<byte> name, nuint length);

    // The *_r lookups report failure through their return value, not errno.
    [LibraryImport("libc")]
    public static partial int getpwuid_r(uint uid, Span<byte> passwd, Span<byte> buffer, nuint length, out nint result);

    [LibraryImport("libc")]
    public static partial int getpwnam_r(ReadOnlySpan<byte> name, Span<byte> passwd, Span<byte> buffer, nuint length, out nint result);

    [LibraryImport("libc")]
    public static partial int getgrgid_r(uint gid, Span<byte> group, Span<byte> buffer, nuint length, out nint result);

    [LibraryImport("libc")]
    public static partial int getgrnam_r(ReadOnlySpan<byte> name, Span<byte> group, Span<byte> buffer, nuint length, out nint result);
}
