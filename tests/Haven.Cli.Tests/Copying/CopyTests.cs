// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests.Copying;

/// <summary>haven copy moves snapshots between repositories, storing only what the destination lacks.</summary>
public sealed class CopyTests(GeneratedTreeFixture tree) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("copy");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Copied_snapshots_pass_restic_check_and_restore_identical()
    {
        var (source, destination) = CreatePair(copyChunkerParameters: false);
        source.RunChecked("backup", "--tag", "mine", tree.Path);
        string sourceId = SnapshotIds(new Restic(_temp.Combine("source"), "source-pw")).Single();

        var copy = destination.RunChecked("copy", "--from-repo", _temp.Combine("source"), "--from-password-file", PasswordFile("source-pw"));

        var restic = new Restic(_temp.Combine("destination"), "destination-pw");
        restic.RunChecked("check", "--read-data");
        var copied = JsonNode.Parse(restic.RunChecked("snapshots", "--json").Stdout)!.AsArray().Single()!;
        Assert.Equal(sourceId, copied["original"]!.GetValue<string>());
        Assert.Equal("mine", copied["tags"]![0]!.GetValue<string>());
        Assert.Contains($"snapshot {copied["short_id"]!.GetValue<string>()} saved", copy.Stdout, StringComparison.Ordinal);

        string target = _temp.CreateSubdirectory("restored");
        destination.RunChecked("restore", "latest", "--target", target);
        FileTree.AssertIdentical(tree.Path, Path.Combine(target, tree.Path.TrimStart('/')));
    }

    [Fact]
    public void Copying_again_skips_the_snapshots_already_copied_and_so_does_restic_copy()
    {
        var (source, destination) = CreatePair(copyChunkerParameters: false);
        string data = SmallTree("data");
        source.RunChecked("backup", data);
        source.RunChecked("backup", "--host", "other", data);
        string[] copyArgs = ["copy", "--from-repo", _temp.Combine("source")];

        var first = destination.RunChecked(["--json", .. copyArgs]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var second = destination.RunChecked(copyArgs);
        var restic = new Restic(_temp.Combine("destination"), "destination-pw");
        var resticCopy = restic.RunChecked("copy", "--from-repo", _temp.Combine("source"), "--from-password-file", PasswordFile("source-pw"));

        Assert.Equal(["copied", "copied"], first.Select(l => JsonNode.Parse(l)!["message_type"]!.GetValue<string>()));
        Assert.Equal(2, CountOf(second.Stdout, "skipping source snapshot"));
        Assert.Equal(2, CountOf(resticCopy.Stdout, "skipping source snapshot"));
        Assert.Equal(2, SnapshotIds(restic).Count);
    }

    [Fact]
    public void With_shared_chunker_parameters_data_already_in_the_destination_is_not_copied()
    {
        var (source, destination) = CreatePair(copyChunkerParameters: true);
        string data = SmallTree("data");
        source.RunChecked("backup", data);
        destination.RunChecked("backup", data);
        var destinationRestic = new Restic(_temp.Combine("destination"), "destination-pw");
        var dataBlobsBefore = DataBlobs(destinationRestic);

        var copy = JsonNode.Parse(destination.RunChecked("--json", "copy", "--from-repo", _temp.Combine("source")).Stdout)!;

        var sourceConfig = JsonNode.Parse(new Restic(_temp.Combine("source"), "source-pw").RunChecked("cat", "config").Stdout)!;
        var destinationConfig = JsonNode.Parse(destinationRestic.RunChecked("cat", "config").Stdout)!;
        Assert.Equal(sourceConfig["chunker_polynomial"]!.GetValue<string>(), destinationConfig["chunker_polynomial"]!.GetValue<string>());
        Assert.NotEqual(sourceConfig["id"]!.GetValue<string>(), destinationConfig["id"]!.GetValue<string>());
        Assert.Equal("copied", copy["message_type"]!.GetValue<string>());
        Assert.Equal(dataBlobsBefore, DataBlobs(destinationRestic));
        Assert.True(dataBlobsBefore.Count >= 2, $"only {dataBlobsBefore.Count} data blobs: the 3 MB file should make several");
        Assert.Equal(2, SnapshotIds(destinationRestic).Count);
        destinationRestic.RunChecked("check", "--read-data");
    }

    [Fact]
    public void A_wrong_source_password_exits_12_and_copies_nothing()
    {
        var (source, destination) = CreatePair(copyChunkerParameters: false);
        source.RunChecked("backup", SmallTree("data"));

        var result = destination.Run("copy", "--from-repo", _temp.Combine("source"), "--from-password-file", PasswordFile("not-it"));

        Assert.Equal(12, result.ExitCode);
        Assert.StartsWith("Fatal: ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(SnapshotIds(new Restic(_temp.Combine("destination"), "destination-pw")));
    }

    [Fact]
    public void A_missing_source_repository_exits_10()
    {
        var (_, destination) = CreatePair(copyChunkerParameters: false);

        var result = destination.Run("copy", "--from-repo", _temp.Combine("nowhere"));

        Assert.Equal(10, result.ExitCode);
        Assert.Contains("no source repository", result.Stderr, StringComparison.Ordinal);
    }

    private (HavenCli Source, HavenCli Destination) CreatePair(bool copyChunkerParameters)
    {
        var source = new HavenCli(_temp.Combine("source"), "source-pw", _temp.CreateSubdirectory("source-home"));
        source.RunChecked("init");
        var destination = new HavenCli(
            _temp.Combine("destination"),
            "destination-pw",
            _temp.CreateSubdirectory("destination-home"),
            new Dictionary<string, string?> { ["HAVEN_FROM_PASSWORD"] = "source-pw" });
        if (copyChunkerParameters)
        {
            destination.RunChecked("init", "--copy-chunker-params", "--from-repo", _temp.Combine("source"));
        }
        else
        {
            destination.RunChecked("init");
        }

        return (source, destination);
    }

    private string SmallTree(string name)
    {
        string root = _temp.CreateSubdirectory(name);
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, "a.txt"), "alpha\n");
        File.WriteAllBytes(Path.Combine(root, "sub", "b.bin"), [.. Enumerable.Range(0, 3_000_000).Select(i => (byte)((i * 31) ^ (i >> 9)))]);
        return root;
    }

    private string PasswordFile(string password)
    {
        string path = _temp.Combine($"password-{password}");
        File.WriteAllText(path, password + "\n");
        return path;
    }

    private static List<string> SnapshotIds(Restic restic) =>
        [.. JsonNode.Parse(restic.RunChecked("snapshots", "--json").Stdout)!.AsArray().Select(s => s!["id"]!.GetValue<string>())];

    private static List<string> DataBlobs(Restic restic) =>
        [.. restic.RunChecked("list", "blobs").Stdout.Split('\n').Where(l => l.StartsWith("data ", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}
