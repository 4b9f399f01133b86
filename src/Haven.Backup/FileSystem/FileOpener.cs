// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>openat(2) wrapped into an owning <see cref="SafeFileHandle"/> that RandomAccess can use.</summary>
internal static class FileOpener
{
    public static SafeFileHandle Open(SafeFileHandle directory, string path, int flags, uint mode, string operation)
    {
        using var native = new NativePath(path, stackalloc byte[NativePath.StackSize]);
        while (true)
        {
            int fd = Libc.openat(directory, native.Bytes, flags | OpenFlags.CloseOnExec, mode);
            if (fd >= 0)
            {
                return new SafeFileHandle(fd, ownsHandle: true);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != ErrorNumber.Interrupted)
            {
                throw new FileSystemException(errno, operation, path);
            }
        }
    }

    /// <summary>
    /// Opens for reading without following a final symlink. O_NOATIME keeps a backup from touching
    /// access times, but only the owner (or CAP_FOWNER) may ask for it, so EPERM retries without it.
    /// </summary>
    public static SafeFileHandle OpenRead(SafeFileHandle directory, string path)
    {
        int flags = OpenFlags.ReadOnly | OpenFlags.NoFollow;
        try
        {
            return Open(directory, path, flags | OpenFlags.NoAccessTime, 0, "open");
        }
        catch (FileSystemException e) when (e.Errno == ErrorNumber.NotPermitted)
        {
            return Open(directory, path, flags, 0, "open");
        }
    }

    /// <summary>Opens a folder for listing; like <see cref="OpenRead"/> it leaves the access time alone where allowed.</summary>
    public static SafeFileHandle OpenDirectory(SafeFileHandle directory, string path)
    {
        int flags = OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.NoFollow;
        try
        {
            return Open(directory, path, flags | OpenFlags.NoAccessTime, 0, "opendir");
        }
        catch (FileSystemException e) when (e.Errno == ErrorNumber.NotPermitted)
        {
            return Open(directory, path, flags, 0, "opendir");
        }
    }

    public static SafeFileHandle CreateFile(SafeFileHandle directory, string path, uint permissions) =>
        Open(directory, path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Exclusive | OpenFlags.NoFollow, permissions, "create");

    public static SafeFileHandle OpenWrite(SafeFileHandle directory, string path) =>
        Open(directory, path, OpenFlags.WriteOnly | OpenFlags.NoFollow, 0, "open");
}
