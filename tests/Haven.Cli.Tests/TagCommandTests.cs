// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>haven tag rewrites snapshot files the way restic does; restic reads the result.</summary>
public sealed class TagCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("tag");
    private readonly string _repository;
    private readonly Restic _restic;
    private readonly HavenCli _haven;
    private readonly string _source;

    public TagCommandTests()
    {
        _repository = _temp.Combine("repo");
        _restic = new Restic(_repository, "pw");
        _haven = new HavenCli(_repository, "pw", _temp.CreateSubdirectory("home"));
        _restic.RunChecked("init");
        _source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(_source, "f"), "x");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Adding_and_removing_tags_rewrites_the_snapshot_with_its_original_id_and_restic_sees_it()
    {
        _restic.RunChecked("backup", "--tag", "old,keep", _source);
        string first = Assert.Single(Snapshots()).Id;

        var result = _haven.RunChecked("tag", first[..8], "--add", "new", "--remove", "old");

        Assert.Equal("modified tags on 1 snapshots\n", result.Stdout);
        var changed = Assert.Single(Snapshots());
        Assert.NotEqual(first, changed.Id);
        Assert.Equal(["keep", "new"], changed.Tags);
        Assert.Equal(first, changed.Original);
        Assert.False(File.Exists(Path.Combine(_repository, "snapshots", first)));

        // A second change keeps pointing at the very first version.
        _haven.RunChecked("tag", "latest", "--set", "x,y");
        var again = Assert.Single(Snapshots());
        Assert.Equal(["x", "y"], again.Tags);
        Assert.Equal(first, again.Original);
        _restic.RunChecked("check");
    }

    [Fact]
    public void Without_ids_the_filters_choose_the_snapshots_and_unchanged_ones_are_not_rewritten()
    {
        _restic.RunChecked("backup", "--host", "a", "--tag", "t", _source);
        _restic.RunChecked("backup", "--host", "b", _source);
        _restic.RunChecked("backup", "--host", "a", _source);
        var before = Snapshots();

        var result = _haven.RunChecked("tag", "--host", "a", "--add", "t");

        Assert.Equal("modified tags on 1 snapshots\n", result.Stdout);
        var after = Snapshots();
        Assert.All(after, s => Assert.Equal(s.Hostname == "a" ? new List<string> { "t" } : [], s.Tags));
        Assert.Equal(2, before.Select(s => s.Id).Intersect(after.Select(s => s.Id)).Count());
    }

    [Fact]
    public void Set_to_empty_clears_the_tags()
    {
        _restic.RunChecked("backup", "--tag", "a,b", _source);

        _haven.RunChecked("tag", "latest", "--set", "");

        Assert.Empty(Assert.Single(Snapshots()).Tags);
    }

    [Theory]
    [InlineData(new[] { "tag", "latest" }, "nothing to do: give --add, --remove or --set")]
    [InlineData(new[] { "tag", "latest", "--set", "a", "--add", "b" }, "--set cannot be combined with --add or --remove")]
    public void Contradictory_or_empty_requests_exit_2(string[] args, string message)
    {
        _restic.RunChecked("backup", _source);

        var result = _haven.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"Fatal: {message}\n", result.Stderr);
    }

    private List<(string Id, string Hostname, List<string> Tags, string? Original)> Snapshots() =>
        JsonNode.Parse(_restic.RunChecked("snapshots", "--json").Stdout)!.AsArray()
            .Select(s => ((string)s!["id"]!, (string)s["hostname"]!, (s["tags"]?.AsArray() ?? []).Select(t => (string)t!).ToList(), (string?)s["original"]))
            .ToList();
}
