// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>
/// A cluster with a base backup and then four committed rows with archived WAL: a time between
/// the first two commits (read from the server's clock), a restore point after the second and the
/// WAL position after the third. The tests restore to each and count the rows.
/// </summary>
public sealed class PitrHistory : IDisposable
{
    public PitrHistory()
    {
        Archiving = new ArchivingCluster();
        var cluster = Archiving.Cluster;
        cluster.Sql("CREATE TABLE events (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp()); CREATE TABLE scratch (id serial)");
        BaseBackup = Archiving.Haven("pg", "basebackup", "--postgres", cluster.Uri()).Check();
        cluster.Sql("INSERT INTO events (id) VALUES (1)");
        BetweenOneAndTwo = new DateTimeOffset((DateTime)ArchivingCluster.Scalar(cluster, "SELECT clock_timestamp()")!);
        cluster.Sql("INSERT INTO events (id) VALUES (2)");
        cluster.Sql("SELECT pg_create_restore_point('after_two')");
        cluster.Sql("INSERT INTO events (id) VALUES (3)");
        AfterThree = (string)ArchivingCluster.Scalar(cluster, "SELECT pg_current_wal_lsn()::text")!;
        cluster.Sql("INSERT INTO events (id) VALUES (4)");
        LastSegment = Archiving.SwitchAndWaitArchived();
    }

    public ArchivingCluster Archiving { get; }

    public HavenRun BaseBackup { get; }

    public DateTimeOffset BetweenOneAndTwo { get; }

    public string AfterThree { get; }

    public string LastSegment { get; }

    /// <summary>Restores with <paramref name="targetArgs"/>, starts PostgreSQL on the result (not archiving), waits for promotion and returns the event IDs.</summary>
    public string RestoreAndRead(params string[] targetArgs)
    {
        string parent = Archiving.NewFolder("restore");
        Archiving.Haven(["pg", "restore", "--target", Path.Combine(parent, "data"), .. targetArgs]).Check();
        using var restored = PostgresCluster.StartExisting(parent, new Dictionary<string, string> { ["archive_mode"] = "off" });
        Wait.Until(() => ArchivingCluster.Scalar(restored, "SELECT pg_is_in_recovery()") is false, TimeSpan.FromMinutes(3), $"the restored server to promote; log:\n{restored.Log}");
        return ArchivingCluster.Scalar(restored, "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM events") as string ?? "";
    }

    public void Dispose() => Archiving.Dispose();
}
