// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>The flags of haven backup, each checked in the snapshot it writes.</summary>
public sealed class BackupOptionTests
{
    [Fact]
    public void Tags_host_and_time_are_recorded()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "a");

        repo.Backup(repo.Source, "--tag", "nightly", "--tag", "a,b", "--host", "box1", "--time", "2020-01-02 03:04:05");

        var snapshot = Assert.Single(repo.Snapshots());
        Assert.Equal(["nightly", "a", "b"], snapshot.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("box1", snapshot.GetProperty("hostname").GetString());
        var expected = new DateTimeOffset(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Local));
        Assert.Equal(expected, DateTimeOffset.Parse(snapshot.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(repo.Snapshots("--tag", "a"));
        Assert.Empty(repo.Snapshots("--tag", "zzz"));
        repo.Check();
    }

    [Fact]
    public void Exclude_patterns_and_exclude_files_leave_matching_entries_out()
    {
        using var repo = new CliRepository();
        foreach (string path in new[] { "keep.txt", "drop.tmp", "deep/er/drop.tmp", "deep/er/keep.md", "x/in-anchored.txt", "sub/x/kept-unanchored.txt", "cache/c1", "deep/cache/c2", "logs/a.log", "comment.txt" })
        {
            repo.WriteSource(path, path);
        }

        string excludeFile = repo.Temp.Combine("excludes.txt");
        File.WriteAllText(excludeFile, "# a comment line\n\n   \n*.log\n#comment.txt\n**/cache\n");

        repo.Backup(repo.Source, "--exclude", "*.tmp", "--exclude", $"{repo.Source}/x", "--exclude-file", excludeFile);

        var listed = repo.Cli.RunChecked("ls", "latest", repo.Source).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.StartsWith(repo.Source + "/", StringComparison.Ordinal)).Select(p => p[(repo.Source.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["comment.txt", "deep", "deep/er", "deep/er/keep.md", "keep.txt", "logs", "sub", "sub/x", "sub/x/kept-unanchored.txt"],
            listed);
        repo.Check();
    }

    [Fact]
    public void Dry_run_writes_nothing_to_the_repository()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "some content");
        var before = RepositoryFiles(repo);

        var result = repo.Cli.Run("backup", "--json", "--dry-run", repo.Source);

        Assert.Equal(0, result.ExitCode);
        var summary = CliRepository.Summary(result.Stdout);
        Assert.True(summary.GetProperty("dry_run").GetBoolean());
        Assert.Equal(1, summary.GetProperty("files_new").GetInt32());
        Assert.Equal(before, RepositoryFiles(repo));
        Assert.Empty(repo.Snapshots());
    }

    [Fact]
    public async Task Stdin_is_stored_under_its_file_name_and_dumps_back_byte_for_byte()
    {
        using var repo = new CliRepository();
        byte[] content = new byte[300_000];
        new Random(7).NextBytes(content);

        await repo.Cli.RunCheckedAsync(["backup", "--stdin", "--stdin-filename", "db.sql"], content, TestContext.Current.CancellationToken);

        Assert.Equal("/db.sql\n", repo.Cli.RunChecked("ls", "latest").Stdout);
        Assert.Equal(content, repo.Cli.RunChecked("dump", "latest", "/db.sql").StdoutBytes);
        repo.Check();
    }

    [Fact]
    public void One_file_system_does_not_descend_into_a_mount()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "a");
        string mount = Directory.CreateDirectory(Path.Combine(repo.Source, "mnt")).FullName;
        ProcessRunner.RunChecked("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount]);
        try
        {
            File.WriteAllText(Path.Combine(mount, "on-tmpfs.txt"), "other fs");

            repo.Backup(repo.Source, "--one-file-system", "--tag", "xdev");
            repo.Backup(repo.Source, "--tag", "all");

            string xdev = repo.Cli.RunChecked("ls", "latest", "--tag", "xdev", repo.Source).Stdout;
            string all = repo.Cli.RunChecked("ls", "latest", "--tag", "all", repo.Source).Stdout;
            Assert.Contains(Path.Combine(repo.Source, "a.txt") + "\n", xdev, StringComparison.Ordinal);
            Assert.DoesNotContain("on-tmpfs.txt", xdev, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(mount, "on-tmpfs.txt") + "\n", all, StringComparison.Ordinal);
        }
        finally
        {
            ProcessRunner.RunChecked("umount", [mount]);
        }

        repo.Check();
    }

    private static List<string> RepositoryFiles(CliRepository repo) =>
        Directory.GetFiles(repo.RepositoryPath, "*", SearchOption.AllDirectories)
            .Select(f => f + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            .Order(StringComparer.Ordinal).ToList();
}
