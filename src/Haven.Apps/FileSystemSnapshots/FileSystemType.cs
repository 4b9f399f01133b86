// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;

namespace Haven.Apps.FileSystemSnapshots;

/// <summary>The type of the file system a path is on, from statfs(2)'s f_type.</summary>
internal static partial class FileSystemType
{
    public const string Btrfs = "btrfs";
    public const string Xfs = "xfs";

    // struct statfs is 120 bytes on 64-bit Linux and starts with f_type (a long).
    private const int StatfsSize = 120;

    public static string Of(string path)
    {
        Span<byte> buffer = stackalloc byte[StatfsSize];
        if (statfs(path, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new FileSystemSnapshotException($"statfs {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        long magic = BitConverter.ToInt64(buffer[..8]);
        return (uint)magic switch
        {
            0x9123683E => Btrfs,
            0x58465342 => Xfs,
            0xEF53 => "ext4",
            0x01021994 => "tmpfs",
            0x794C7630 => "overlayfs",
            0x6969 => "nfs",
            0x65735546 => "fuse",
            0x2FC12FC1 => "zfs",
            _ => $"file system type 0x{magic:x}",
        };
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statfs(string path, Span<byte> buffer);
}
