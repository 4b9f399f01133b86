// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Haven.Format.Locks;

namespace Haven.Repository.Locking;

/// <summary>restic's rule: a lock is stale when it is over 30 minutes old, or when it was taken on this host by a process that no longer exists.</summary>
public static partial class LockStaleness
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(30);

    private const int NoSuchProcess = 3;

    public static bool IsStale(LockFile lockFile, RepositoryOptions options)
    {
        var age = options.Time.GetUtcNow() - lockFile.Time.ToDateTimeOffset();
        if (age > MaxAge)
        {
            return true;
        }

        if (lockFile.Hostname != options.Identity.Hostname)
        {
            return false;
        }

        return Kill(lockFile.Pid, 0) != 0 && Marshal.GetLastPInvokeError() == NoSuchProcess;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
