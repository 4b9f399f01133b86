// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli.Tests;

/// <summary>A backup reads only what changed since its parent snapshot.</summary>
public sealed class IncrementalBackupTests
{
    [Fact]
    public void Second_backup_of_an_unchanged_tree_reads_nothing_and_uses_the_parent()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "alpha");
        repo.WriteSource("sub/b.txt", "bravo!");
        var first = repo.Backup(repo.Source);
        string firstId = first.GetProperty("snapshot_id").GetString()!;

        var second = repo.Backup(repo.Source);

        Assert.Equal(0, second.GetProperty("files_new").GetInt32());
        Assert.Equal(0, second.GetProperty("files_changed").GetInt32());
        Assert.Equal(2, second.GetProperty("files_unmodified").GetInt32());
        Assert.Equal(0, second.GetProperty("data_blobs").GetInt32());
        Assert.Equal(0, second.GetProperty("data_added").GetInt64());
        Assert.Equal(11, second.GetProperty("total_bytes_processed").GetInt64());
        var snapshot = repo.Snapshots().Single(s => s.GetProperty("id").GetString() == second.GetProperty("snapshot_id").GetString());
        Assert.Equal(firstId, snapshot.GetProperty("parent").GetString());
        repo.Check();
    }

    [Fact]
    public void A_file_with_new_content_and_mtime_is_changed_and_force_rereads_everything()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "alpha");
        string b = repo.WriteSource("b.txt", "bravo");
        repo.Backup(repo.Source);
        File.WriteAllText(b, "bravo, changed");
        File.SetLastWriteTimeUtc(b, new DateTime(2021, 5, 6, 7, 8, 9, DateTimeKind.Utc));

        var changed = repo.Backup(repo.Source);
        var forced = repo.Backup(repo.Source, "--force");

        Assert.Equal(1, changed.GetProperty("files_changed").GetInt32());
        Assert.Equal(1, changed.GetProperty("files_unmodified").GetInt32());
        Assert.Equal(14, changed.GetProperty("data_added").GetInt64());
        Assert.Equal(0, forced.GetProperty("files_unmodified").GetInt32());
        Assert.Equal(2, forced.GetProperty("files_changed").GetInt32() + forced.GetProperty("files_new").GetInt32());
        Assert.Equal(0, forced.GetProperty("data_added").GetInt64());
        Assert.Equal("bravo, changed", repo.Cli.RunChecked("dump", "latest", b).Stdout);
        repo.Check();
    }

    [Fact]
    public void Parent_is_the_latest_of_the_same_host_and_paths_unless_given()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "alpha");
        string other = repo.Temp.CreateSubdirectory("other");
        File.WriteAllText(Path.Combine(other, "o.txt"), "o");
        string first = repo.Backup(repo.Source).GetProperty("snapshot_id").GetString()!;
        string second = repo.Backup(repo.Source).GetProperty("snapshot_id").GetString()!;
        string otherPaths = repo.Backup(other).GetProperty("snapshot_id").GetString()!;
        string otherHost = repo.Backup(repo.Source, "--host", "elsewhere").GetProperty("snapshot_id").GetString()!;
        var explicitParent = repo.Backup(repo.Source, "--parent", first[..8]);
        string withParent = explicitParent.GetProperty("snapshot_id").GetString()!;
        string third = repo.Backup(repo.Source).GetProperty("snapshot_id").GetString()!;

        var parents = repo.Snapshots().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.TryGetProperty("parent", out var p) ? p.GetString() : null);
        Assert.Null(parents[first]);
        Assert.Equal(first, parents[second]);
        Assert.Null(parents[otherPaths]);
        Assert.Null(parents[otherHost]);
        Assert.Equal(first, parents[withParent]);
        Assert.Equal(1, explicitParent.GetProperty("files_unmodified").GetInt32());
        Assert.Equal(withParent, parents[third]);
        repo.Check();
    }
}
