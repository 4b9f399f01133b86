// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>
/// statx(2) without following links, falling back to fstatat(2) when the kernel (or a seccomp
/// filter) lacks statx. The fallback is remembered process-wide after the first ENOSYS.
/// </summary>
internal static class StatusReader
{
    private static volatile bool s_statxUnavailable;

    public static FileStatus Read(SafeFileHandle directory, string path, string operation)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        if (!s_statxUnavailable)
        {
            if (TryStatx(directory, native.Bytes, Libc.AtSymlinkNoFollow, out FileStatus status, out int errno))
            {
                return status;
            }

            if (!s_statxUnavailable)
            {
                throw new FileSystemException(errno, operation, path);
            }
        }

        return Stat(directory, native.Bytes, Libc.AtSymlinkNoFollow, operation, path);
    }

    /// <summary>The status of an open descriptor (AT_EMPTY_PATH on the descriptor itself).</summary>
    public static FileStatus Read(SafeFileHandle handle)
    {
        ReadOnlySpan<byte> empty = [0];
        if (!s_statxUnavailable)
        {
            if (TryStatx(handle, empty, Libc.AtEmptyPath, out FileStatus status, out int errno))
            {
                return status;
            }

            if (!s_statxUnavailable)
            {
                throw new FileSystemException(errno, "fstat", "<handle>");
            }
        }

        return Stat(handle, empty, Libc.AtEmptyPath, "fstat", "<handle>");
    }

    /// <summary>The fstatat path alone, so tests can check the fallback layout against statx.</summary>
    internal static FileStatus ReadWithStat(SafeFileHandle directory, string path)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        return Stat(directory, native.Bytes, Libc.AtSymlinkNoFollow, "lstat", path);
    }

    private static bool TryStatx(SafeFileHandle directory, ReadOnlySpan<byte> path, int flags, out FileStatus status, out int errno)
    {
        Span<byte> buffer = stackalloc byte[StatusLayout.StatxSize];
        int result;
        try
        {
            result = Libc.statx(directory, path, flags, Libc.StatxBasicStats, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            s_statxUnavailable = true;
            (status, errno) = (default, ErrorNumber.NoSystemCall);
            return false;
        }

        if (result == 0)
        {
            (status, errno) = (StatusLayout.FromStatx(buffer), 0);
            return true;
        }

        errno = Marshal.GetLastPInvokeError();
        if (errno == ErrorNumber.NoSystemCall)
        {
            s_statxUnavailable = true;
        }

        status = default;
        return false;
    }

    private static FileStatus Stat(SafeFileHandle directory, ReadOnlySpan<byte> path, int flags, string operation, string displayPath)
    {
        Span<byte> buffer = stackalloc byte[StatusLayout.StatSize];
        if (Libc.fstatat(directory, path, buffer, flags) != 0)
        {
            throw FileSystemException.FromLastError(operation, displayPath);
        }

        return StatusLayout.FromStat(buffer);
    }
}
