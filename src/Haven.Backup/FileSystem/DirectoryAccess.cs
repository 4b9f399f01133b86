// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>
/// Gives every entry of a folder a path the kernel accepts, however deep the folder is. Paths may
/// not exceed 4096 bytes, but a file tree may be deeper; so below a certain depth the folder is held
/// open and its entries are reached as /proc/self/fd/N/name, a short path that names the same
/// entry (the final component is still not followed when the call does not follow links).
/// </summary>
public sealed class DirectoryAccess : IDisposable
{
    // PATH_MAX is 4096 including the NUL; a name is at most 255 bytes.
    private const int DirectPathLimit = 4096 - 1 - 255 - 1;

    private readonly SafeFileHandle? _handle;
    private readonly string _prefix;

    private DirectoryAccess(SafeFileHandle? handle, string prefix)
    {
        _handle = handle;
        _prefix = prefix;
    }

    /// <summary>
    /// Access to the entries of the folder at <paramref name="logicalPath"/>, itself reachable as
    /// <paramref name="accessPath"/> (the same string unless an ancestor is deep).
    /// </summary>
    public static DirectoryAccess Open(LocalFileSystem fileSystem, string logicalPath, string accessPath)
    {
        if (Encoding.UTF8.GetByteCount(logicalPath) < DirectPathLimit)
        {
            return new DirectoryAccess(null, accessPath == "/" ? string.Empty : accessPath);
        }

        var handle = fileSystem.OpenDirectory(accessPath);
        return new DirectoryAccess(handle, $"/proc/self/fd/{handle.DangerousGetHandle()}");
    }

    /// <summary>The path to use in system calls for the entry <paramref name="name"/> of this folder.</summary>
    public string Child(string name) => _prefix + "/" + name;

    public void Dispose() => _handle?.Dispose();
}
