// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests.Browsing;

/// <summary>
/// A repository, shared read-only by the diff, find and stats tests, with three snapshots of the standard tree:
/// the tree as generated (Haven, without the over-long path), after changes of every kind (Haven), and the changed tree again (restic).
/// </summary>
public sealed class SnapshotPairFixture : IDisposable
{
    private readonly TempDirectory _temp = new("browse");

    public SnapshotPairFixture()
    {
        Restic.EnsureInstalled();
        Source = _temp.Combine("src");
        FileTree.Generate(Source, seed: 1);

        // restic 0.14 cannot read paths longer than PATH_MAX, and its snapshot is part of the comparison.
        ProcessRunner.RunChecked("rm", ["-rf", Path.Combine(Source, "long")]);
        Repository = _temp.Combine("repo");
        Haven = new HavenCli(Repository, "pw", _temp.CreateSubdirectory("home"));
        Restic = new Restic(Repository, "pw");
        Haven.RunChecked("init");
        Haven.RunChecked("backup", "--host", "first", Source);
        Change();
        Haven.RunChecked("backup", "--host", "second", Source);
        Restic.RunChecked("backup", "--host", "third", Source);
        var ids = JsonNode.Parse(Restic.RunChecked("snapshots", "--json").Stdout)!.AsArray()
            .OrderBy(s => s!["time"]!.GetValue<string>(), StringComparer.Ordinal)
            .Select(s => s!["id"]!.GetValue<string>())
            .ToList();
        Assert.Equal(3, ids.Count);
        First = ids[0];
        Second = ids[1];
        Third = ids[2];
    }

    public string Source { get; }

    public string Repository { get; }

    public HavenCli Haven { get; }

    public Restic Restic { get; }

    public string First { get; }

    public string Second { get; }

    public string Third { get; }

    public void Dispose() => _temp.Dispose();

    /// <summary>Adds, removes, rewrites and retypes entries, and changes metadata alone.</summary>
    private void Change()
    {
        string Under(string relative) => Path.Combine(Source, relative);
        File.WriteAllText(Under("files/small.txt"), "new content of the small file\n");
        File.Delete(Under("files/100k.bin"));
        Directory.CreateDirectory(Under("added/inner"));
        File.WriteAllText(Under("added/inner/new.txt"), "added later\n");
        File.WriteAllBytes(Under("added/data.bin"), [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7))]);
        File.Delete(Under("links/relative"));
        File.WriteAllText(Under("links/relative"), "a file where a symlink was\n");
        File.SetUnixFileMode(Under("modes/readonly"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Directory.Delete(Under("nested/a/b"), recursive: true);
        File.Delete(Under("hardlinks/b/three"));
    }
}
