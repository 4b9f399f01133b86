// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using System.Text;
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Snapshots;

namespace Haven.Backup.Tests.Retention;

/// <summary>Builds snapshot lists for planner tests: a snapshot is named by its time text, and its ID derives from it.</summary>
internal static class History
{
    public static (Id Id, Snapshot Snapshot) At(string time, string host = "h", string[]? tags = null, string[]? paths = null)
    {
        var snapshot = new Snapshot
        {
            Time = GoTimestamp.Parse(time),
            Hostname = host,
            Paths = [.. paths ?? ["/data"]],
            Tags = tags is null ? null : [.. tags],
        };
        var id = new Id(SHA256.HashData(Encoding.UTF8.GetBytes($"{time}|{host}|{string.Join(",", tags ?? [])}|{string.Join(",", paths ?? [])}")));
        return (id, snapshot);
    }

    public static List<(Id Id, Snapshot Snapshot)> Of(params string[] times) => times.Select(t => At(t)).ToList();

    /// <summary>The times of the kept snapshots, newest first, as written in the test.</summary>
    public static string[] KeptTimes(Haven.Backup.Retention.RetentionGroup group) => group.Keep.Select(k => k.Snapshot.Time.ToString()).ToArray();

    public static string[] RemovedTimes(Haven.Backup.Retention.RetentionGroup group) => group.Remove.Select(k => k.Snapshot.Time.ToString()).ToArray();
}
