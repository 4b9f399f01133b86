// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Apps.Sqlite;

/// <summary>
/// A SHARED lock on a database file taken the way SQLite's unix VFS takes one (a read lock on the
/// PENDING byte, then on the 510-byte SHARED range), but as an open-file-description lock: SQLite
/// connections inside this process neither see nor release it, while it still conflicts with the
/// EXCLUSIVE lock of every other connection. Holding it keeps the last WAL connection from
/// checkpointing and deleting the -wal file on close, so a -wal that is absent while the lock is held
/// proves that no connection used the database in the meantime.
/// </summary>
internal static partial class SqliteSharedLock
{
    // os_unix.c: PENDING_BYTE is at 1 GiB; RESERVED follows it, then the SHARED range.
    private const long PendingByte = 0x40000000;
    private const long SharedFirst = PendingByte + 2;
    private const long SharedSize = 510;

    private const int OfdSetLock = 37; // F_OFD_SETLK
    private const short ReadLock = 0; // F_RDLCK
    private const short Unlock = 2; // F_UNLCK

    /// <summary>Tries once; false while another connection holds or waits for an EXCLUSIVE lock.</summary>
    public static bool TryAcquire(SafeFileHandle file)
    {
        // Like SQLite, respect a writer that waits for EXCLUSIVE (it holds PENDING): no new readers.
        if (!TrySet(file, ReadLock, PendingByte, 1))
        {
            return false;
        }

        bool shared = TrySet(file, ReadLock, SharedFirst, SharedSize);
        TrySet(file, Unlock, PendingByte, 1);
        return shared;
    }

    public static void Release(SafeFileHandle file) => TrySet(file, Unlock, SharedFirst, SharedSize);

    private static bool TrySet(SafeFileHandle file, short type, long start, long length)
    {
        var request = new FileLock { Type = type, Whence = 0, Start = start, Length = length };
        while (true)
        {
            if (fcntl(file, OfdSetLock, ref request) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno is 11 or 13)
            {
                return false; // EAGAIN or EACCES: a conflicting lock is held.
            }

            if (errno != 4)
            {
                throw new IOException($"fcntl(F_OFD_SETLK) failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(SafeFileHandle fd, int command, ref FileLock request);

    /// <summary>struct flock on 64-bit Linux; l_pid must be 0 for open-file-description locks.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FileLock
    {
        public short Type;
        public short Whence;
        public long Start;
        public long Length;
        public int Pid;
    }
}
