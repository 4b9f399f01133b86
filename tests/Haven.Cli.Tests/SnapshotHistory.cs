// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Snapshots;
using Haven.Repository;
using Haven.Repository.Snapshots;
using Haven.Storage.Local;

namespace Haven.Cli.Tests;

/// <summary>
/// A cheap, seeded two-year history: copies of one real snapshot (same tree) written with Haven's
/// snapshot catalog at varied times, offsets, hosts, paths and tags, so restic and Haven decide
/// over identical data. Times are unique, so the newest-first order is the same for both.
/// </summary>
internal static class SnapshotHistory
{
    public static async Task<List<Id>> WriteAsync(string repositoryPath, string password, int count, int seed, CancellationToken cancellationToken)
    {
        var options = new RepositoryOptions { Identity = new ProcessIdentity("history", "tester", 0, 0, Environment.ProcessId) };
        await using var repository = await Repository.Repository.OpenAsync(new LocalBackend(repositoryPath), password, options, cancellationToken);
        var (templateId, template) = Assert.Single(await SnapshotCatalog.LoadAllAsync(repository, cancellationToken));
        var random = new Random(seed);
        var start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var minutes = new SortedSet<int>();
        while (minutes.Count < count)
        {
            minutes.Add(random.Next(0, 730 * 24 * 60));
        }

        var ids = new List<Id> { templateId };
        foreach (int minute in minutes)
        {
            var time = start.AddMinutes(minute);
            int roll = random.Next(100);
            if (roll < 15)
            {
                // Late evening somewhere else: the day, week or month bucket differs from UTC's.
                var offset = TimeSpan.FromHours(roll < 8 ? 2 : -5);
                time = new DateTimeOffset(time.Year, time.Month, time.Day, 23, 30 + (minute % 29), 0, offset);
            }

            var snapshot = Copy(template);
            snapshot.Time = GoTimestamp.FromDateTimeOffset(time);
            snapshot.Hostname = random.Next(10) < 7 ? "h1" : "h2";
            snapshot.Paths = random.Next(10) == 0 ? ["/data", "/etc"] : ["/data"];
            snapshot.Tags = random.Next(100) switch
            {
                < 15 => ["important"],
                < 25 => ["a", "b"],
                < 30 => ["b", "a"],
                < 40 => ["b"],
                < 70 => ["nightly"],
                _ => null,
            };
            ids.Add(await SnapshotCatalog.SaveAsync(repository, snapshot, cancellationToken));
        }

        // One snapshot from the future: restic looks for the newest snapshot before now.
        var future = Copy(template);
        future.Time = GoTimestamp.FromDateTimeOffset(new DateTimeOffset(2031, 5, 1, 12, 0, 0, TimeSpan.Zero));
        future.Hostname = "h2";
        future.Paths = ["/data"];
        ids.Add(await SnapshotCatalog.SaveAsync(repository, future, cancellationToken));
        return ids;
    }

    /// <summary>Copies of the repository's only snapshot at the given times (its own time stays as it is).</summary>
    public static async Task WriteAtAsync(string repositoryPath, string password, IEnumerable<string> times, CancellationToken cancellationToken)
    {
        var options = new RepositoryOptions { Identity = new ProcessIdentity("history", "tester", 0, 0, Environment.ProcessId) };
        await using var repository = await Repository.Repository.OpenAsync(new LocalBackend(repositoryPath), password, options, cancellationToken);
        var (_, template) = Assert.Single(await SnapshotCatalog.LoadAllAsync(repository, cancellationToken));
        foreach (string time in times)
        {
            var snapshot = Copy(template);
            snapshot.Time = GoTimestamp.Parse(time);
            await SnapshotCatalog.SaveAsync(repository, snapshot, cancellationToken);
        }
    }

    private static Snapshot Copy(Snapshot template) => new()
    {
        Time = template.Time,
        Tree = template.Tree,
        Paths = template.Paths,
        Hostname = template.Hostname,
        Username = template.Username,
        Uid = template.Uid,
        Gid = template.Gid,
    };
}
