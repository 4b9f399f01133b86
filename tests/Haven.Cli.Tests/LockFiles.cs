// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Locks;
using Haven.Repository;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>Writes lock files as other processes would have left them: live or dead, here or on another host, fresh or old.</summary>
internal static class LockFiles
{
    public static string ThisHost => new LocalFileSystem().HostName;

    public static async Task<Id> WriteAsync(string repositoryPath, string password, string hostname, int pid, DateTimeOffset time, bool exclusive, CancellationToken cancellationToken)
    {
        var options = new RepositoryOptions { Identity = new ProcessIdentity("writer", "tester", 0, 0, Environment.ProcessId) };
        await using var repository = await Repository.Repository.OpenAsync(new LocalBackend(repositoryPath), password, options, cancellationToken);
        var lockFile = new LockFile { Time = GoTimestamp.FromDateTimeOffset(time), Exclusive = exclusive, Hostname = hostname, Username = "someone", Pid = pid };
        return await repository.SaveUnpackedAsync(FileType.Lock, lockFile.ToJson(), cancellationToken);
    }

    /// <summary>The PID of a process that has exited (and been reaped), so kill(pid, 0) fails with ESRCH.</summary>
    public static int DeadPid()
    {
        var result = ProcessRunner.RunChecked("sh", ["-c", "echo $$"]);
        return int.Parse(result.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
