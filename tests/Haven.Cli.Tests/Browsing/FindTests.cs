// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;

namespace Haven.Cli.Tests.Browsing;

/// <summary>haven find finds what restic find finds, and prints it the same way.</summary>
[Collection(SnapshotPairCollection.Name)]
public sealed class FindTests(SnapshotPairFixture repo)
{
    [Theory]
    [InlineData("small.txt")]
    [InlineData("*.bin")]
    [InlineData("nested/a")]
    [InlineData("hardlinks/*/t*")]
    [InlineData("relative")]
    [InlineData("no-such-name")]
    public void Find_prints_what_restic_find_prints(string pattern)
    {
        var expected = repo.Restic.RunChecked("find", pattern);
        var actual = repo.Haven.RunChecked("find", pattern);

        AssertSameBlocks(expected.Stdout, actual.Stdout);
    }

    [Fact]
    public void Long_listing_and_several_patterns_match_restic()
    {
        var expected = repo.Restic.RunChecked("find", "--long", "small.txt", "deep.txt", "new.txt");
        var actual = repo.Haven.RunChecked("find", "--long", "small.txt", "deep.txt", "new.txt");

        AssertSameBlocks(expected.Stdout, actual.Stdout);
        Assert.Contains($"{repo.Source}/added/inner/new.txt", actual.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{repo.Source}/nested/a/b/c/deep.txt", actual.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_pattern_matches_from_the_root_only()
    {
        string pattern = repo.Source + "/files/s*";
        var expected = repo.Restic.RunChecked("find", pattern);
        var actual = repo.Haven.RunChecked("find", pattern);

        AssertSameBlocks(expected.Stdout, actual.Stdout);
        Assert.Contains($"{repo.Source}/files/small.txt\n", actual.Stdout, StringComparison.Ordinal);
        Assert.Empty(repo.Haven.RunChecked("find", "/files/s*").Stdout);
    }

    [Fact]
    public void Json_output_has_restic_shape_and_matches_for_every_kind_of_entry()
    {
        string pattern = repo.Source + "/[^n]*";
        var expected = BySnapshot(repo.Restic.RunChecked("--json", "find", pattern).Stdout);
        var actual = BySnapshot(repo.Haven.RunChecked("--json", "find", pattern).Stdout);

        Assert.Equal(3, actual.Count);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i]!["snapshot"]!.GetValue<string>(), actual[i]!["snapshot"]!.GetValue<string>());
            Assert.Equal(expected[i]!["hits"]!.GetValue<int>(), actual[i]!["hits"]!.GetValue<int>());
            var expectedMatches = expected[i]!["matches"]!.AsArray();
            var actualMatches = actual[i]!["matches"]!.AsArray();
            Assert.Equal(expectedMatches.Count, actualMatches.Count);
            for (int m = 0; m < expectedMatches.Count; m++)
            {
                Assert.True(JsonNode.DeepEquals(expectedMatches[m], actualMatches[m]), $"restic {expectedMatches[m]!.ToJsonString()} but haven {actualMatches[m]!.ToJsonString()}");
            }
        }
    }

    [Fact]
    public void Snapshot_and_host_options_narrow_the_search()
    {
        var one = repo.Haven.RunChecked("find", "--snapshot", repo.Second, "small.txt").Stdout;
        var host = repo.Haven.RunChecked("find", "--host", "third", "small.txt").Stdout;

        Assert.Equal($"Found matching entries in snapshot {repo.Second[..8]}", one.Split(" from ")[0]);
        Assert.Equal(1, CountOf(one, "Found matching entries"));
        Assert.StartsWith($"Found matching entries in snapshot {repo.Third[..8]}", host, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(host, "Found matching entries"));
    }

    /// <summary>
    /// Same output, up to the order of the per-snapshot blocks: restic 0.14 visits snapshots in the
    /// order they happen to load, Haven oldest first.
    /// </summary>
    private static void AssertSameBlocks(string expected, string actual)
    {
        static List<string> Blocks(string text) => [.. text.Split("\n\n").Select(b => b.TrimEnd('\n')).Order(StringComparer.Ordinal)];

        Assert.Equal(Blocks(expected), Blocks(actual));
        Assert.EndsWith("\n", actual.Length > 0 ? actual : "\n", StringComparison.Ordinal);
    }

    private static List<JsonNode?> BySnapshot(string json) =>
        [.. JsonNode.Parse(json)!.AsArray().OrderBy(s => s!["snapshot"]!.GetValue<string>(), StringComparer.Ordinal)];

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}
