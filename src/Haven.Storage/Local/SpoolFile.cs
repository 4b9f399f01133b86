// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Storage.Local;

/// <summary>
/// Nameless files in a repository's own file system (O_TMPFILE), in which a pack is assembled where it
/// will live and then given its name with linkat: no copy from a temporary folder, and a crash at any
/// point leaves nothing behind, since a file without a name is freed when its last descriptor closes.
/// </summary>
internal static partial class SpoolFile
{
    private const int ReadWrite = 0x2;
    private const int CloseOnExec = 0x80000;

    // __O_TMPFILE | O_DIRECTORY: a kernel or file system without O_TMPFILE fails with EISDIR or EOPNOTSUPP.
    private const int TemporaryFile = 0x410000;
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkFollow = 0x400;
    private const int AtEmptyPath = 0x1000;
    private const int FileExists = 17;

    /// <summary>A nameless read-write file in <paramref name="folder"/>, or null when its file system cannot make one.</summary>
    public static SafeFileHandle? TryCreate(string folder)
    {
        int fd = Open(folder, TemporaryFile | ReadWrite | CloseOnExec, 0b110_000_000);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>What became of <see cref="TryLink"/>.</summary>
    public enum LinkResult
    {
        Linked,
        NameTaken,

        /// <summary>Not a nameless file of this file system (or /proc is missing): the caller copies it.</summary>
        NotLinkable,
    }

    /// <summary>
    /// Makes the file read-only and durable, then gives it <paramref name="path"/>; never replaces an
    /// existing file. The caller syncs the folder.
    /// </summary>
    public static LinkResult TryLink(SafeFileHandle file, string path)
    {
        int fd = (int)file.DangerousGetHandle();
        if (FChmod(fd, 0b100_000_000) != 0 || FSync(fd) != 0)
        {
            throw new IOException($"cannot make the pack for {path} durable: {Marshal.GetLastPInvokeErrorMessage()}", Marshal.GetLastPInvokeError());
        }

        // Through /proc, since linkat with AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; the latter is the fallback
        // for a process that has it but no /proc.
        if (LinkAt(AtCurrentDirectory, $"/proc/self/fd/{fd}", AtCurrentDirectory, path, AtSymlinkFollow) == 0)
        {
            return LinkResult.Linked;
        }

        if (Marshal.GetLastPInvokeError() != FileExists && LinkAt(fd, string.Empty, AtCurrentDirectory, path, AtEmptyPath) == 0)
        {
            return LinkResult.Linked;
        }

        return Marshal.GetLastPInvokeError() == FileExists ? LinkResult.NameTaken : LinkResult.NotLinkable;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FChmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkAt(int oldDirectory, string oldPath, int newDirectory, string newPath, int flags);
}
