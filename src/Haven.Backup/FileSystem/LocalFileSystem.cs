// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>
/// The local POSIX file system as a backup sees it, through libc: nanosecond times, inode and
/// device numbers, owners, xattrs, special files and names that are not UTF-8. Paths are strings
/// that may hold <see cref="RawName"/> escapes; they are passed to the kernel as the exact bytes.
/// Nothing here follows a final symlink except <see cref="SetPermissions"/>. Thread-safe; the members
/// are instance methods so tests and decorators can stand in for the real file system. Failures throw
/// <see cref="FileSystemException"/>.
/// <para>
/// Linux limits a path to 4096 bytes. Deeper trees are reached with the <c>*At</c> methods, which
/// resolve a name relative to a directory handle from <see cref="OpenDirectory"/> or
/// <see cref="OpenDirectoryAt"/>.
/// </para>
/// </summary>
public sealed class LocalFileSystem
{
    private static SafeFileHandle Cwd => Libc.CurrentDirectory;

    private readonly AccountDatabase _accounts = new();

    /// <summary>The machine's host name (gethostname).</summary>
    public string HostName
    {
        get
        {
            Span<byte> buffer = stackalloc byte[256];
            FileSystemException.ThrowOnError(Libc.gethostname(buffer, (nuint)buffer.Length), "gethostname", string.Empty);
            int end = buffer.IndexOf((byte)0);
            return RawName.Decode(end < 0 ? buffer : buffer[..end]);
        }
    }

    /// <summary>The status of the entry itself, not of a symlink's target (statx, or lstat on old kernels).</summary>
    public FileStatus LinkStatus(string path) => StatusReader.Read(Cwd, path, "lstat");

    public FileStatus LinkStatusAt(SafeFileHandle directory, string name) => StatusReader.Read(directory, name, "lstat");

    public FileStatus Status(SafeFileHandle handle) => StatusReader.Read(handle);

    /// <summary>Entry names without "." and "..", in no particular order.</summary>
    public List<string> ReadDirectory(string path)
    {
        using SafeFileHandle directory = OpenDirectory(path);
        return DirectoryReader.Read(directory, path);
    }

    public List<string> ReadDirectory(SafeFileHandle directory) => DirectoryReader.Read(directory, "<handle>");

    /// <summary>The raw target of a symlink, decoded with <see cref="RawName.Decode"/>.</summary>
    public string ReadLink(string path) => LinkReader.Read(Cwd, path);

    public string ReadLinkAt(SafeFileHandle directory, string name) => LinkReader.Read(directory, name);

    /// <summary>All extended attributes of the entry itself; empty where the file system has none.</summary>
    public List<(string Name, byte[] Value)> ReadExtendedAttributes(string path) => ExtendedAttributes.Read(path);

    public void SetExtendedAttribute(string path, string name, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ExtendedAttributes.Write(path, name, value);
    }

    /// <summary>Opens a regular file for positional reads; fails with ELOOP on a symlink.
    /// Callers must not open fifos this way: opening one blocks until a writer appears.</summary>
    public SafeFileHandle OpenRead(string path) => FileOpener.OpenRead(Cwd, path);

    public SafeFileHandle OpenReadAt(SafeFileHandle directory, string name) => FileOpener.OpenRead(directory, name);

    /// <summary>Opens a directory (never through a symlink) as a base for the <c>*At</c> methods.</summary>
    public SafeFileHandle OpenDirectory(string path) => FileOpener.OpenDirectory(Cwd, path);

    public SafeFileHandle OpenDirectoryAt(SafeFileHandle directory, string name) => FileOpener.OpenDirectory(directory, name);

    /// <summary>Creates a new file for writing; EEXIST if anything exists at the path. The umask applies.</summary>
    public SafeFileHandle CreateFile(string path, uint permissions) => FileOpener.CreateFile(Cwd, path, permissions);

    /// <summary>Opens an existing regular file for writing, without following a symlink at the path.</summary>
    public SafeFileHandle OpenWrite(string path) => FileOpener.OpenWrite(Cwd, path);

    public SafeFileHandle CreateFileAt(SafeFileHandle directory, string name, uint permissions) =>
        FileOpener.CreateFile(directory, name, permissions);

    /// <summary>mkdir; an existing entry throws with Errno 17 (EEXIST) so the caller decides. The umask applies.</summary>
    public void CreateDirectory(string path, uint permissions) => NodeWriter.CreateDirectory(Cwd, path, permissions);

    public void CreateDirectoryAt(SafeFileHandle directory, string name, uint permissions) =>
        NodeWriter.CreateDirectory(directory, name, permissions);

    public void CreateSymlink(string target, string path) => NodeWriter.CreateSymlink(target, Cwd, path);

    public void CreateSymlinkAt(string target, SafeFileHandle directory, string name) => NodeWriter.CreateSymlink(target, directory, name);

    /// <summary>link(2); a symlink at <paramref name="existingPath"/> is linked itself, not its target.</summary>
    public void CreateHardLink(string existingPath, string newPath) => NodeWriter.CreateHardLink(Cwd, existingPath, newPath);

    public void CreateFifo(string path, uint permissions) => NodeWriter.CreateFifo(Cwd, path, permissions);

    /// <summary>mknod; <paramref name="stMode"/> holds the type (S_IFCHR, S_IFBLK, S_IFSOCK) and permissions.</summary>
    public void CreateDeviceNode(string path, uint stMode, ulong rdev) => NodeWriter.CreateNode(Cwd, path, stMode, rdev);

    public void CreateDeviceNodeAt(SafeFileHandle directory, string name, uint stMode, ulong rdev) =>
        NodeWriter.CreateNode(directory, name, stMode, rdev);

    /// <summary>lchown: changes a symlink itself, never its target.</summary>
    public void SetOwner(string path, uint uid, uint gid) => NodeWriter.SetOwner(Cwd, path, uid, gid);

    public void SetOwnerAt(SafeFileHandle directory, string name, uint uid, uint gid) => NodeWriter.SetOwner(directory, name, uid, gid);

    /// <summary>chmod with setuid, setgid and sticky bits. It follows symlinks, so never call it on one.</summary>
    public void SetPermissions(string path, uint mode) => NodeWriter.SetPermissions(Cwd, path, mode);

    public void SetPermissionsAt(SafeFileHandle directory, string name, uint mode) => NodeWriter.SetPermissions(directory, name, mode);

    /// <summary>utimensat without following links, so symlinks get their own times.</summary>
    public void SetTimes(string path, long accessSeconds, int accessNanoseconds, long modifySeconds, int modifyNanoseconds) =>
        NodeWriter.SetTimes(Cwd, path, accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds);

    public void SetTimesAt(SafeFileHandle directory, string name, long accessSeconds, int accessNanoseconds, long modifySeconds, int modifyNanoseconds) =>
        NodeWriter.SetTimes(directory, name, accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds);

    /// <summary>fchown on an open file: no path lookup. <paramref name="path"/> names the file in errors.</summary>
    public void SetOwner(SafeFileHandle handle, string path, uint uid, uint gid) =>
        FileSystemException.ThrowOnError(Libc.fchown(handle, uid, gid), "fchown", path);

    /// <summary>fchmod (with setuid, setgid and sticky bits) on an open file.</summary>
    public void SetPermissions(SafeFileHandle handle, string path, uint mode) =>
        FileSystemException.ThrowOnError(Libc.fchmod(handle, mode & 0xFFF), "fchmod", path);

    /// <summary>futimens on an open file.</summary>
    public void SetTimes(SafeFileHandle handle, string path, long accessSeconds, int accessNanoseconds, long modifySeconds, int modifyNanoseconds)
    {
        ReadOnlySpan<long> times = [accessSeconds, accessNanoseconds, modifySeconds, modifyNanoseconds];
        FileSystemException.ThrowOnError(Libc.futimens(handle, times), "futimens", path);
    }

    /// <summary>fsetxattr on an open file.</summary>
    public void SetExtendedAttribute(SafeFileHandle handle, string path, string name, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ExtendedAttributes.Write(handle, path, name, value);
    }

    /// <summary>Sets the final size: after writing only the data regions of a sparse file, this makes the trailing hole.</summary>
    public void Truncate(SafeFileHandle handle, long length) =>
        FileSystemException.ThrowOnError(Libc.ftruncate(handle, length), "ftruncate", "<handle>");

    /// <summary>Removes a file, symlink, special file or empty directory.</summary>
    public void Remove(string path) => NodeWriter.Remove(Cwd, path);

    public void RemoveAt(SafeFileHandle directory, string name) => NodeWriter.Remove(directory, name);

    public void Rename(string from, string to) => NodeWriter.Rename(Cwd, from, to);

    public string? UserName(uint uid) => _accounts.UserName(uid);

    public string? GroupName(uint gid) => _accounts.GroupName(gid);

    public uint? UserId(string name) => _accounts.UserId(name);

    public uint? GroupId(string name) => _accounts.GroupId(name);

    public void SyncFile(SafeFileHandle handle) => FileSystemException.ThrowOnError(Libc.fsync(handle), "fsync", "<handle>");

    /// <summary>fsync on a directory, which makes the entries created in it durable.</summary>
    public void SyncDirectory(string path)
    {
        using SafeFileHandle directory = OpenDirectory(path);
        FileSystemException.ThrowOnError(Libc.fsync(directory), "fsync", path);
    }

    /// <summary>
    /// The first data region at or after <paramref name="offset"/> as [DataStart, DataEnd), or null
    /// when only a hole (or nothing) follows. Holes are the gaps between successive regions.
    /// </summary>
    public (long DataStart, long DataEnd)? NextDataRegion(SafeFileHandle handle, long offset) => SparseRegions.Next(handle, offset);
}
