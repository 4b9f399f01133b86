// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Haven.Repository;

namespace Haven.Cli;

/// <summary>The identity of this process as restic records it in locks and snapshots.</summary>
internal static partial class PosixIdentity
{
    public static ProcessIdentity Current(string hostname) =>
        new(hostname, Environment.UserName, GetUid(), GetGid(), Environment.ProcessId);

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();
}
