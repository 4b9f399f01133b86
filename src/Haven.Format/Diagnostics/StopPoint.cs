// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;

namespace Haven.Format.Diagnostics;

/// <summary>
/// Named moments in a command at which HAVEN_STOP_AT=NAME makes the process stop itself with SIGSTOP,
/// so that a crash test can SIGKILL it exactly there instead of racing a fast run with a poll: a
/// backup of a small tree can finish between two looks at it. Off, each moment is one static read.
/// </summary>
public static partial class StopPoint
{
    /// <summary>A lock is written and has settled; nothing else is stored yet.</summary>
    public const string LockHeld = "lock-held";

    /// <summary>A pack is stored under its name; its index entries are not written yet.</summary>
    public const string PackStored = "pack-stored";

    /// <summary>Every pack and index file of a backup is stored; its snapshot is not.</summary>
    public const string SnapshotPending = "snapshot-pending";

    /// <summary>An index file is stored (a backup's or prune's); older index files are all still there.</summary>
    public const string IndexStored = "index-stored";

    /// <summary>Prune removed its first old index file; the packs it will delete are all still there.</summary>
    public const string IndexRemoved = "index-removed";

    /// <summary>Prune removed its first unused pack.</summary>
    public const string PackRemoved = "pack-removed";

    /// <summary>A backup's file-system snapshot (btrfs, LVM) exists; nothing is read from it yet.</summary>
    public const string SourceSnapshotTaken = "source-snapshot-taken";

    private const int SignalStop = 19;

    private static readonly string? s_armed = Environment.GetEnvironmentVariable("HAVEN_STOP_AT") is { Length: > 0 } name ? name : null;

    /// <summary>Stops the whole process when HAVEN_STOP_AT names <paramref name="name"/>; returns when it is continued.</summary>
    public static void Reach(string name)
    {
        if (s_armed is not null && string.Equals(s_armed, name, StringComparison.Ordinal))
        {
            // To this thread, not the process: a process-directed SIGSTOP may be taken by another
            // thread while this one runs on past the moment (it deleted files before it stopped);
            // a thread-directed one stops this thread before the call returns, and the rest with it.
            _ = ThreadKill(Environment.ProcessId, CurrentThreadId(), SignalStop);
        }
    }

    [LibraryImport("libc", EntryPoint = "tgkill")]
    private static partial int ThreadKill(int processId, int threadId, int signal);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int CurrentThreadId();
}
