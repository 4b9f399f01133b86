// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>haven forget decides exactly as restic 0.14 does, on a generated two-year history of two hosts.</summary>
public sealed class ForgetInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new("forget-interop");
    private readonly string _repository;
    private readonly Restic _restic;
    private readonly HavenCli _haven;

    public ForgetInteropTests()
    {
        _repository = _temp.Combine("repo");
        _restic = new Restic(_repository, "pw");
        _haven = new HavenCli(_repository, "pw", _temp.CreateSubdirectory("home"));
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string[]> Policies => new(
        ["--keep-last", "5", "--keep-daily", "7", "--keep-weekly", "5", "--keep-monthly", "12", "--keep-yearly", "3"],
        ["--keep-hourly", "10", "--keep-within", "3m"],
        ["--keep-within-hourly", "2d", "--keep-within-daily", "1m", "--keep-within-weekly", "6m", "--keep-within-monthly", "1y", "--keep-within-yearly", "2y"],
        ["--keep-tag", "important", "--keep-tag", "a,b", "--keep-weekly", "4", "--group-by", "host,tags"],
        ["--keep-monthly", "6", "--keep-within", "1y2m10d", "--group-by", ""],
        ["--keep-daily", "3", "--keep-tag", "b", "--group-by", "paths", "--host", "h1"],
        ["--keep-last", "3", "--keep-yearly", "1", "--group-by", "tags", "--tag", "nightly"]);

    [Fact]
    public async Task Forget_decisions_equal_restics_for_several_policies_and_a_real_forget_leaves_a_valid_repository()
    {
        var ct = TestContext.Current.CancellationToken;
        await MakeHistoryAsync(ct);

        foreach (var policy in Policies.Select(row => row.Data))
        {
            var expected = Decisions(_restic.RunChecked(["forget", "--dry-run", "--json", .. policy]).Stdout);
            var actual = Decisions(_haven.RunChecked(["forget", "--dry-run", "--json", .. policy]).Stdout);

            Assert.True(expected.Count > 0, $"restic made no groups for {string.Join(' ', policy)}");
            Assert.True(expected.Values.Any(g => g.Remove.Count > 0) && expected.Values.Any(g => g.Keep.Count > 1), $"policy {string.Join(' ', policy)} should both keep and remove");
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, group) in expected)
            {
                Assert.Equal(group.Keep, actual[key].Keep);
                Assert.Equal(group.Remove, actual[key].Remove);
                Assert.Equal(group.Reasons, actual[key].Reasons);
            }
        }

        // Now for real: Haven removes exactly what it planned, and restic agrees with the result.
        string[] real = ["--keep-last", "5", "--keep-daily", "7", "--keep-weekly", "5", "--keep-monthly", "12", "--keep-yearly", "3", "--keep-tag", "important"];
        var plan = Decisions(_haven.RunChecked(["forget", "--dry-run", "--json", .. real]).Stdout);
        _haven.RunChecked(["forget", .. real]);

        _restic.RunChecked("check");
        var remaining = SnapshotIds(_restic.RunChecked("snapshots", "--json").Stdout);
        Assert.Equal(plan.Values.SelectMany(g => g.Keep).Order(StringComparer.Ordinal), remaining.Order(StringComparer.Ordinal));
        Assert.Equal(remaining.Order(StringComparer.Ordinal), SnapshotIds(_haven.RunChecked("snapshots", "--json").Stdout).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(_repository, "locks")));
    }

    [Fact]
    public async Task Forgetting_by_id_removes_only_those_snapshots()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = await MakeHistoryAsync(ct, count: 5);

        var result = _haven.RunChecked("forget", ids[1].ToString()[..10], ids[3].ToString());

        Assert.Contains("remove 2 snapshots:", result.Stdout, StringComparison.Ordinal);
        var remaining = SnapshotIds(_restic.RunChecked("snapshots", "--json").Stdout);
        Assert.Equal(ids.Where((_, i) => i != 1 && i != 3).Select(id => id.ToString()).Order(StringComparer.Ordinal), remaining.Order(StringComparer.Ordinal));
        _restic.RunChecked("check");
    }

    private async Task<List<Format.Id>> MakeHistoryAsync(CancellationToken ct, int count = 100)
    {
        _restic.RunChecked("init");
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "file.txt"), "history");
        _haven.RunChecked("backup", "--quiet", "--host", "h1", source);
        return await SnapshotHistory.WriteAsync(_repository, "pw", count, seed: 20240101, ct);
    }

    private static List<string> SnapshotIds(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(s => (string)s!["id"]!).ToList();

    /// <summary>Per group ("host|paths|tags"): kept IDs newest first, removed IDs newest first, and each kept snapshot's matches and counters.</summary>
    private static Dictionary<string, Decision> Decisions(string json)
    {
        var decisions = new Dictionary<string, Decision>(StringComparer.Ordinal);
        foreach (var group in JsonNode.Parse(json)!.AsArray())
        {
            string key = $"{(string?)group!["host"]}|{List(group["paths"])}|{List(group["tags"])}";
            var keep = (group["keep"]?.AsArray() ?? []).Select(s => (string)s!["id"]!).ToList();
            var remove = (group["remove"]?.AsArray() ?? []).Select(s => (string)s!["id"]!).ToList();
            var reasons = (group["reasons"]?.AsArray() ?? []).Select((r, i) => $"{keep[i]}: {r!["matches"]!.ToJsonString()} {r["counters"]!.ToJsonString()}").ToList();
            Assert.Equal(keep.Count, reasons.Count);
            decisions.Add(key, new Decision(keep, remove, reasons));
        }

        return decisions;
    }

    private static string List(JsonNode? node) => node is null ? "null" : string.Join(",", node.AsArray().Select(v => (string)v!));

    private sealed record Decision(List<string> Keep, List<string> Remove, List<string> Reasons);
}
