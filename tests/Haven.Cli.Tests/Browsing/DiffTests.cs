// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;

namespace Haven.Cli.Tests.Browsing;

/// <summary>haven diff reports what restic diff reports, in restic's text and JSON.</summary>
[Collection(SnapshotPairCollection.Name)]
public sealed class DiffTests(SnapshotPairFixture repo)
{
    [Fact]
    public void Diff_prints_byte_for_byte_what_restic_diff_prints()
    {
        foreach (var (from, to) in new[] { (repo.First, repo.Second), (repo.Second, repo.First), (repo.First, repo.Third) })
        {
            var expected = repo.Restic.RunChecked("diff", from, to);
            var actual = repo.Haven.RunChecked("diff", from, to);

            Assert.Equal(expected.Stdout, actual.Stdout);
        }
    }

    [Fact]
    public void Diff_names_every_kind_of_change()
    {
        string lines = repo.Haven.RunChecked("diff", "--metadata", repo.First, repo.Second).Stdout;
        string root = repo.Source;

        Assert.Contains($"M    {root}/files/small.txt\n", lines, StringComparison.Ordinal);
        Assert.Contains($"-    {root}/files/100k.bin\n", lines, StringComparison.Ordinal);
        Assert.Contains($"+    {root}/added/\n", lines, StringComparison.Ordinal);
        Assert.Contains($"+    {root}/added/inner/new.txt\n", lines, StringComparison.Ordinal);
        Assert.Contains($"-    {root}/nested/a/b/c/deep.txt\n", lines, StringComparison.Ordinal);
        Assert.Contains($"TU   {root}/links/relative\n", lines, StringComparison.Ordinal);
        Assert.Contains($"U    {root}/modes/readonly\n", lines, StringComparison.Ordinal);
        Assert.DoesNotContain($"{root}/files/big.bin", lines, StringComparison.Ordinal);
        Assert.Contains("Files:           2 new,     3 removed,     1 changed\n", lines, StringComparison.Ordinal);
        Assert.Contains("Dirs:            2 new,     2 removed\n", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_with_metadata_lists_the_same_lines_as_restic()
    {
        var expected = repo.Restic.RunChecked("diff", "--metadata", repo.First, repo.Second);
        var actual = repo.Haven.RunChecked("diff", "--metadata", repo.First, repo.Second);

        Assert.Equal(Lines(expected.Stdout), Lines(actual.Stdout));
    }

    [Fact]
    public void Diff_json_has_the_change_lines_and_statistics_of_restic()
    {
        var expected = repo.Restic.RunChecked("--json", "diff", repo.First, repo.Second).Stdout;
        var actual = repo.Haven.RunChecked("--json", "diff", repo.First, repo.Second).Stdout;

        var expectedLines = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)).ToList();
        var actualLines = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)).ToList();
        Assert.Equal(expectedLines.Count, actualLines.Count);
        for (int i = 0; i < expectedLines.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expectedLines[i], actualLines[i]), $"line {i}: restic {expectedLines[i]!.ToJsonString()} but haven {actualLines[i]!.ToJsonString()}");
        }

        Assert.Equal("statistics", actualLines[^1]!["message_type"]!.GetValue<string>());
    }

    [Fact]
    public void A_snapshot_compared_with_itself_has_no_changes()
    {
        var result = repo.Haven.RunChecked("diff", repo.Second, repo.Second);

        Assert.StartsWith($"comparing snapshot {repo.Second[..8]} to {repo.Second[..8]}:\n\n\nFiles:           0 new,     0 removed,     0 changed\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  Added:   0 B  \n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_snapshot_fails_clearly()
    {
        var result = repo.Haven.Run("diff", repo.First, "ffffffff");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no snapshot has an ID starting with 'ffffffff'", result.Stderr, StringComparison.Ordinal);
    }

    private static List<string> Lines(string stdout) => [.. stdout.Split('\n').Order(StringComparer.Ordinal)];
}
