// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.Json;
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Snapshots;
using Haven.Format.Trees;
using Haven.Repository;
using Haven.Repository.Snapshots;
using Haven.Repository.Writing;
using Haven.Storage.Local;

namespace Haven.Cli.Tests;

/// <summary>haven restore: what it selects, what it overwrites, and that it never writes outside its target.</summary>
public sealed class RestoreTests
{
    [Fact]
    public void Snapshot_subpath_restores_a_subfolders_content_or_a_single_file()
    {
        using var repo = new CliRepository();
        repo.WriteSource("top.txt", "top");
        repo.WriteSource("sub/b.txt", "bravo");
        repo.WriteSource("sub/deeper/c.txt", "charlie");
        repo.Backup(repo.Source);
        string folderTarget = repo.Temp.Combine("folder");
        string fileTarget = repo.Temp.Combine("file");

        repo.Cli.RunChecked("restore", $"latest:{repo.Source}/sub", "--target", folderTarget);
        repo.Cli.RunChecked("restore", $"latest:{repo.Source}/sub/deeper/c.txt", "--target", fileTarget);

        Assert.Equal(["b.txt", "deeper", "deeper/c.txt"], Entries(folderTarget));
        Assert.Equal("charlie", File.ReadAllText(Path.Combine(folderTarget, "deeper", "c.txt")));
        Assert.Equal(["c.txt"], Entries(fileTarget));
        Assert.Equal("charlie", File.ReadAllText(Path.Combine(fileTarget, "c.txt")));
    }

    [Fact]
    public void Include_and_exclude_select_entries_and_include_creates_parent_folders()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.php", "a");
        repo.WriteSource("www/index.php", "i");
        repo.WriteSource("www/style.css", "s");
        repo.WriteSource("www/cache/x.php", "x");
        repo.WriteSource("other/deep/only.txt", "o");
        repo.Backup(repo.Source);
        string included = repo.Temp.Combine("included");
        string excluded = repo.Temp.Combine("excluded");
        string deep = repo.Temp.Combine("deep");

        repo.Cli.RunChecked("restore", $"latest:{repo.Source}", "--target", included, "--include", "*.php", "--exclude", "cache");
        repo.Cli.RunChecked("restore", $"latest:{repo.Source}", "--target", excluded, "--exclude", "www");
        repo.Cli.RunChecked("restore", "latest", "--target", deep, "--include", $"{repo.Source}/other/deep/only.txt");

        // As in restic 0.14, folders where an included name may still match are created even when nothing in them matched.
        Assert.Equal(["a.php", "other", "other/deep", "www", "www/index.php"], Entries(included));
        Assert.Equal(["a.php", "other", "other/deep", "other/deep/only.txt"], Entries(excluded));
        Assert.Equal(["other", "other/deep", "other/deep/only.txt"], Entries(deep + repo.Source));
        Assert.Equal("o", File.ReadAllText(deep + repo.Source + "/other/deep/only.txt"));
    }

    [Fact]
    public void Restoring_over_an_existing_target_replaces_the_files_it_restores()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "from the snapshot");
        repo.WriteSource("sub/b.txt", "bravo");
        repo.Backup(repo.Source);
        string target = repo.Temp.CreateSubdirectory("target");
        File.WriteAllText(Path.Combine(target, "a.txt"), "an older, longer local version of the file");
        File.WriteAllText(Path.Combine(target, "local-only.txt"), "kept");

        var result = repo.Cli.Run("restore", $"latest:{repo.Source}", "--target", target);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Equal("from the snapshot", File.ReadAllText(Path.Combine(target, "a.txt")));
        Assert.Equal("bravo", File.ReadAllText(Path.Combine(target, "sub", "b.txt")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(target, "local-only.txt")));
    }

    [Fact]
    public async Task A_malicious_snapshot_cannot_write_outside_the_target_and_its_bad_names_are_reported()
    {
        using var repo = new CliRepository();
        string outside = repo.Temp.CreateSubdirectory("outside");
        string snapshotId = await WriteMaliciousSnapshotAsync(repo, outside, TestContext.Current.CancellationToken);
        string target = repo.Temp.CreateSubdirectory("target");

        var result = repo.Cli.Run("restore", snapshotId, "--target", target);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.False(File.Exists(Path.Combine(repo.Temp.Path, "escaped.txt")));
        Assert.False(File.Exists(Path.Combine(repo.Temp.Path, "b")));
        Assert.False(Directory.Exists(Path.Combine(target, "a")), "a name with '/' must not become a path");
        var errors = result.Stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "error: /: the snapshot holds an unsafe or duplicate name (empty) in /; it was not restored",
                "error: /.: the snapshot holds an unsafe or duplicate name '.' in /; it was not restored",
                "error: /..: the snapshot holds an unsafe or duplicate name '..' in /; it was not restored",
                "error: /../escaped.txt: the snapshot holds an unsafe or duplicate name '../escaped.txt' in /; it was not restored",
                "error: /a/b: the snapshot holds an unsafe or duplicate name 'a/b' in /; it was not restored",
                "error: /evil: the snapshot holds an unsafe or duplicate name 'evil' in /; it was not restored",
                "error: /evil: the snapshot holds an unsafe or duplicate name 'evil' in /; it was not restored",
            ],
            errors);
        Assert.Contains("Fatal: 7 entries could not be restored or verified (listed above)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("fine", File.ReadAllText(Path.Combine(target, "good.txt")));
        var evil = new FileInfo(Path.Combine(target, "evil"));
        Assert.True(evil.LinkTarget == outside || evil.LinkTarget is null, "evil is the snapshot's symlink or absent, never a way out");
    }

    private static async Task<string> WriteMaliciousSnapshotAsync(CliRepository repo, string outside, CancellationToken ct)
    {
        var options = new RepositoryOptions { Identity = new ProcessIdentity("test", "root", 0, 0, Environment.ProcessId) };
        await using var repository = await Haven.Repository.Repository.OpenAsync(new LocalBackend(repo.RepositoryPath), CliRepository.Password, options, ct);
        await repository.LoadIndexAsync(ct);
        var writer = new BlobWriter(repository);
        async Task<Id> SaveAsync(BlobType type, byte[] bytes)
        {
            var id = Id.Hash(bytes);
            await writer.SaveBlobAsync(type, id, bytes, ct);
            return id;
        }

        var bad = await SaveAsync(BlobType.Data, Encoding.UTF8.GetBytes("bad"));
        var fine = await SaveAsync(BlobType.Data, Encoding.UTF8.GetBytes("fine"));
        Node File(string name, Id content, ulong size) => new() { Name = name, Type = NodeType.File, Mode = 0b110_100_100, Content = [content], Size = size };
        var inner = new Tree { Nodes = [File("pwned.txt", bad, 3)] };
        var innerId = await SaveAsync(BlobType.Tree, inner.ToJson());
        Node Dir(string name) => new() { Name = name, Type = NodeType.Dir, Mode = FileModes.Dir | 0b111_101_101, Subtree = innerId };
        // Tree.ToJson refuses empty, unsorted and duplicate names, so the root tree's JSON is put together by hand.
        Node[] nodes =
        [
            File(string.Empty, bad, 3),
            File(".", bad, 3),
            Dir(".."),
            File("../escaped.txt", bad, 3),
            File("a/b", bad, 3),
            new() { Name = "evil", Type = NodeType.Symlink, Mode = FileModes.Symlink | 0b111_111_111, LinkTarget = outside },
            Dir("evil"),
            File("evil", bad, 3),
            File("good.txt", fine, 4),
        ];
        var rootJson = "{\"nodes\":[" + string.Join(",", nodes.Select(NodeJson)) + "]}\n";
        var rootId = await SaveAsync(BlobType.Tree, Encoding.UTF8.GetBytes(rootJson));
        await writer.FlushAsync(ct);
        var snapshot = new Snapshot
        {
            Time = GoTimestamp.FromDateTimeOffset(DateTimeOffset.Now),
            Tree = rootId,
            Paths = ["/m"],
            Hostname = "test",
            Username = "root",
        };
        return (await SnapshotCatalog.SaveAsync(repository, snapshot, ct)).ToString();
    }

    private static string NodeJson(Node node)
    {
        string name = node.Name;
        node.Name = "placeholder";
        string json = Encoding.UTF8.GetString(new Tree { Nodes = [node] }.ToJson()).TrimEnd('\n');
        node.Name = name;
        string inner = json["{\"nodes\":[".Length..^"]}".Length];
        return inner.Replace("\"name\":\"placeholder\"", "\"name\":" + JsonSerializer.Serialize(name), StringComparison.Ordinal);
    }

    private static List<string> Entries(string root) =>
        Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToList();
}
