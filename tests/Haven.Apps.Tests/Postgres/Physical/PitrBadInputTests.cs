// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>Restores and base backups that cannot work stop with a clear message and write nothing.</summary>
[Collection(PitrCollection.Name)]
public sealed class PitrBadInputTests(PitrHistory history)
{
    [Fact]
    public void A_target_folder_that_is_not_empty_is_refused_and_left_alone()
    {
        string target = history.Archiving.NewFolder("busy");
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");

        var result = history.Archiving.Haven("pg", "restore", "--target", target);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not empty; nothing was written", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "keep.txt")));
        Assert.False(Directory.Exists(target + ".wal"));
    }

    [Fact]
    public void A_time_before_the_oldest_base_backup_is_refused() =>
        AssertRefused("before the oldest base backup", "--time", "2001-01-01T00:00:00+00:00");

    [Fact]
    public void A_time_after_the_newest_archived_wal_is_refused() =>
        AssertRefused("is after the newest archived WAL", "--time", DateTimeOffset.UtcNow.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture));

    [Fact]
    public void A_position_beyond_the_archived_wal_is_refused() =>
        AssertRefused("is beyond the archived WAL", "--lsn", "FF/0");

    [Fact]
    public void PostgreSQL_programs_of_another_major_version_are_refused()
    {
        // Only PostgreSQL 15 is installable on these machines, so a stand-in 'postgres' that
        // reports 16 plays the other version; Haven only asks it for --version.
        string bin = history.Archiving.NewFolder("pg16bin");
        string postgres = Path.Combine(bin, "postgres");
        File.WriteAllText(postgres, "#!/bin/sh\necho 'postgres (PostgreSQL) 16.4'\n");
        File.SetUnixFileMode(postgres, (UnixFileMode)0x1ED);
        var result = AssertRefused("made by PostgreSQL 15", "--pg-bin", bin);
        Assert.Contains("16.4", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_dsn_an_unreachable_server_or_a_missing_pg_basebackup_fail_as_the_logical_backup_does_and_write_no_snapshot()
    {
        int before = SnapshotCount();
        int closedPort = LoopbackPort.Free();

        var unreachable = history.Archiving.Haven("pg", "basebackup", "--postgres", $"postgresql://postgres@127.0.0.1:{closedPort}/postgres");
        var typo = history.Archiving.Haven("pg", "basebackup", "--postgres", "hots=127.0.0.1 dbname=postgres");
        var noTool = history.Archiving.Haven("pg", "basebackup", "--postgres", history.Archiving.Cluster.Uri(), "--pg-bin", "/nonexistent/pg/bin");

        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains($"cannot connect to PostgreSQL at 127.0.0.1:{closedPort}/postgres as postgres", unreachable.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("'hots' is not a libpq connection keyword", typo.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, noTool.ExitCode);
        Assert.Contains("pg_basebackup is not installed (looked in HAVEN_PG_BINDIR=/nonexistent/pg/bin)", noTool.Stderr, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql-client-15", noTool.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, SnapshotCount());
    }

    private int SnapshotCount() => history.Archiving.Haven("snapshots", "--json").Check().Stdout.Split("\"id\"").Length;

    /// <summary>Restores into a new folder with <paramref name="args"/>, expects exit code 1 with <paramref name="message"/>, and nothing written.</summary>
    private HavenRun AssertRefused(string message, params string[] args)
    {
        string target = Path.Combine(history.Archiving.NewFolder("refused"), "data");
        var result = history.Archiving.Haven(["pg", "restore", "--target", target, .. args]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.False(Directory.Exists(target + ".wal"));
        return result;
    }
}
