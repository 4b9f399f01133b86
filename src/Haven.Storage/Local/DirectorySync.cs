// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;

namespace Haven.Storage.Local;

/// <summary>fsync on a folder, so that a rename into it survives a power cut.</summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000;
    private const int CloseOnExec = 0x80000;

    public static void Sync(string folder)
    {
        int fd = Open(folder, ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = FSync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
