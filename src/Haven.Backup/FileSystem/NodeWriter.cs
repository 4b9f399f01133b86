// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>The calls that create, change and remove directory entries, relative to a directory handle.</summary>
internal static class NodeWriter
{
    private const uint FifoType = 0x1000;

    public static void CreateDirectory(SafeFileHandle directory, string path, uint permissions)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        FileSystemException.ThrowOnError(Libc.mkdirat(directory, native.Bytes, permissions), "mkdir", path);
    }

    public static void CreateSymlink(string target, SafeFileHandle directory, string path)
    {
        using var nativeTarget = new NativePath(target, stackalloc byte[NativePath.StackSize]);
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        FileSystemException.ThrowOnError(Libc.symlinkat(nativeTarget.Bytes, directory, native.Bytes), "symlink", path);
    }

    public static void CreateHardLink(SafeFileHandle directory, string existingPath, string newPath)
    {
        using var existing = new NativePath(existingPath, stackalloc byte[NativePath.StackSize]);
        using var created = new NativePath(newPath, stackalloc byte[NativePath.StackSize]);
        int result = Libc.linkat(directory, existing.Bytes, directory, created.Bytes, 0);
        FileSystemException.ThrowOnError(result, "link", newPath);
    }

    public static void CreateFifo(SafeFileHandle directory, string path, uint permissions) =>
        CreateNode(directory, path, FifoType | (permissions & 0xFFF), 0, "mkfifo");

    public static void CreateNode(SafeFileHandle directory, string path, uint stMode, ulong device, string operation = "mknod")
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        FileSystemException.ThrowOnError(Libc.mknodat(directory, native.Bytes, stMode, device), operation, path);
    }

    public static void SetOwner(SafeFileHandle directory, string path, uint uid, uint gid)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        int result = Libc.fchownat(directory, native.Bytes, uid, gid, Libc.AtSymlinkNoFollow);
        FileSystemException.ThrowOnError(result, "lchown", path);
    }

    public static void SetPermissions(SafeFileHandle directory, string path, uint mode)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        FileSystemException.ThrowOnError(Libc.fchmodat(directory, native.Bytes, mode & 0xFFF, 0), "chmod", path);
    }

    public static void SetTimes(SafeFileHandle directory, string path, long accessSeconds, int accessNanoseconds, long modifySeconds, int modifyNanoseconds)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        ReadOnlySpan<long> times = [accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds];
        int result = Libc.utimensat(directory, native.Bytes, times, Libc.AtSymlinkNoFollow);
        FileSystemException.ThrowOnError(result, "utimensat", path);
    }

    /// <summary>unlink, and rmdir when the entry is a directory (Linux says EISDIR for those).</summary>
    public static void Remove(SafeFileHandle directory, string path)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        if (Libc.unlinkat(directory, native.Bytes, 0) == 0)
        {
            return;
        }

        if (Marshal.GetLastPInvokeError() != ErrorNumber.IsDirectory)
        {
            throw FileSystemException.FromLastError("unlink", path);
        }

        FileSystemException.ThrowOnError(Libc.unlinkat(directory, native.Bytes, Libc.AtRemoveDirectory), "rmdir", path);
    }

    public static void Rename(SafeFileHandle directory, string from, string to)
    {
        using var source = new NativePath(from, stackalloc byte[NativePath.StackSize]);
        using var target = new NativePath(to, stackalloc byte[NativePath.StackSize]);
        FileSystemException.ThrowOnError(Libc.renameat(directory, source.Bytes, directory, target.Bytes), "rename", from);
    }
}
