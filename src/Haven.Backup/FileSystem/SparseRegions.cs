// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.FileSystem;

/// <summary>
/// Finds data regions with lseek SEEK_DATA / SEEK_HOLE. File systems without hole support report
/// the whole file as one region, which is still correct. lseek moves the descriptor's position;
/// that is harmless because all reads and writes here are positional (pread/pwrite).
/// </summary>
internal static class SparseRegions
{
    public static (long DataStart, long DataEnd)? Next(SafeFileHandle handle, long offset)
    {
        long start = Libc.lseek(handle, offset, Libc.SeekData);
        if (start < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ErrorNumber.NoDeviceOrAddress)
            {
                return null;
            }

            throw new FileSystemException(errno, "lseek", "<handle>");
        }

        long end = Libc.lseek(handle, start, Libc.SeekHole);
        FileSystemException.ThrowOnError(end, "lseek", "<handle>");
        return (start, end);
    }
}
