// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>archive_command semantics: the same segment again succeeds, other content under an archived name is refused.</summary>
[Collection(PitrCollection.Name)]
public sealed class WalPushTests(PitrHistory history)
{
    [Fact]
    public void Pushing_an_archived_segment_again_succeeds_and_other_content_under_its_name_fails()
    {
        var archiving = history.Archiving;
        var cluster = archiving.Cluster;
        cluster.Sql("INSERT INTO scratch DEFAULT VALUES");
        string segment = archiving.SwitchAndWaitArchived();
        string copies = archiving.NewFolder("copies");
        string copy = Path.Combine(copies, segment);
        File.Copy(Path.Combine(cluster.DataDirectory, "pg_wal", segment), copy);
        ProcessRunner.RunChecked("chown", ["-R", "postgres:postgres", copies]);

        var again = archiving.HavenIn(cluster.DataDirectory, "pg", "wal-push", copy).Check();
        Assert.Contains("archived already", again.Stdout, StringComparison.Ordinal);

        using (var file = File.OpenWrite(copy))
        {
            file.Position = 100_000;
            file.WriteByte(0x5A);
        }

        var changed = archiving.HavenIn(cluster.DataDirectory, "pg", "wal-push", copy);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("different content", changed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_wal_is_refused_with_a_clear_message()
    {
        string folder = history.Archiving.NewFolder("notwal");
        string path = Path.Combine(folder, "not-a-segment");
        File.WriteAllText(path, "hello");
        ProcessRunner.RunChecked("chown", ["postgres:postgres", path]);
        var result = history.Archiving.HavenIn(history.Archiving.Cluster.DataDirectory, "pg", "wal-push", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not the name of a WAL segment", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_pushes_leave_about_one_archive_snapshot_no_gaps_and_a_repository_restic_checks()
    {
        var archiving = history.Archiving;
        for (int i = 0; i < WalArchiveCompactorHeads + 1; i++)
        {
            archiving.Cluster.Sql("INSERT INTO scratch DEFAULT VALUES");
            archiving.SwitchAndWaitArchived();
        }

        var cluster = JsonNode.Parse(archiving.Haven("pg", "status", "--json").Check().Stdout)!["clusters"]![0]!;
        Assert.InRange((int)cluster["archive_snapshots"]!, 1, WalArchiveCompactorHeads);
        Assert.Empty(cluster["gaps"]!.AsArray());
        Assert.True((int)cluster["archived_segments"]! > WalArchiveCompactorHeads, cluster.ToJsonString());

        var check = new Restic(archiving.Repository, File.ReadAllText(archiving.PasswordFile)).Run("check", "--read-data", "--no-cache");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
    }

    private static int WalArchiveCompactorHeads => Apps.Postgres.Physical.WalArchiveCompactor.HeadThreshold;
}
