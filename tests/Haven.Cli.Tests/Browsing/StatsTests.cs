// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Haven.Cli.Tests.Browsing;

/// <summary>haven stats counts as restic stats does, and adds compression and deduplication figures in raw-data mode.</summary>
[Collection(SnapshotPairCollection.Name)]
public sealed class StatsTests(SnapshotPairFixture repo)
{
    [Theory]
    [InlineData("restore-size")]
    [InlineData("files-by-contents")]
    [InlineData("blobs-per-file")]
    [InlineData("raw-data")]
    public void Every_mode_counts_what_restic_counts(string mode)
    {
        foreach (string[] selection in new[] { Array.Empty<string>(), ["latest"], [repo.First], [repo.First, repo.Second] })
        {
            var expected = JsonNode.Parse(repo.Restic.RunChecked(["--json", "stats", "--mode", mode, .. selection]).Stdout)!;
            var actual = JsonNode.Parse(repo.Haven.RunChecked(["--json", "stats", "--mode", mode, .. selection]).Stdout)!;

            foreach (string field in new[] { "total_size", "total_file_count", "total_blob_count", "snapshots_count" })
            {
                Assert.True(
                    JsonNode.DeepEquals(expected[field], actual[field]),
                    $"{mode} [{string.Join(' ', selection)}] {field}: restic {expected[field]?.ToJsonString()} but haven {actual[field]?.ToJsonString()}");
            }
        }
    }

    [Fact]
    public void Raw_data_reports_uncompressed_size_compression_and_deduplication()
    {
        var json = JsonNode.Parse(repo.Haven.RunChecked("--json", "stats", "--mode", "raw-data").Stdout)!;
        ulong stored = json["total_size"]!.GetValue<ulong>();
        ulong uncompressed = json["total_uncompressed_size"]!.GetValue<ulong>();
        ulong restoreSize = json["restore_size"]!.GetValue<ulong>();

        var (indexUncompressed, compressedStored, compressedUncompressed) = SizesFromIndex();
        Assert.Equal(indexUncompressed, uncompressed);
        Assert.Equal(JsonNode.Parse(repo.Restic.RunChecked("--json", "stats").Stdout)!["total_size"]!.GetValue<ulong>(), restoreSize);
        Assert.Equal((double)compressedUncompressed / compressedStored, json["compression_ratio"]!.GetValue<double>(), 9);
        Assert.Equal((1 - ((double)stored / uncompressed)) * 100, json["compression_space_saving"]!.GetValue<double>(), 9);
        Assert.Equal((double)restoreSize / uncompressed, json["deduplication_ratio"]!.GetValue<double>(), 9);

        string text = repo.Haven.RunChecked("stats", "--mode", "raw-data").Stdout;
        Assert.Contains(" Total Uncompressed Size:  ", text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"       Compression Ratio:  {(double)compressedUncompressed / compressedStored:0.00}x\n"), text, StringComparison.Ordinal);
        Assert.Contains("Compression Space Saving:  ", text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"     Deduplication Ratio:  {(double)restoreSize / uncompressed:0.00}x\n"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_mode_is_a_usage_error()
    {
        var result = repo.Haven.Run("stats", "--mode", "everything");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("everything", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// From restic's view of the index, every blob of the repository (all are used: nothing was
    /// ever forgotten) once: uncompressed size with encryption overhead, and the stored and
    /// uncompressed sizes of the compressed ones.
    /// </summary>
    private (ulong Uncompressed, ulong CompressedStored, ulong CompressedUncompressed) SizesFromIndex()
    {
        var blobs = new Dictionary<string, (ulong Length, ulong? Uncompressed)>();
        foreach (string index in repo.Restic.RunChecked("list", "index").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var pack in JsonNode.Parse(repo.Restic.RunChecked("cat", "index", index).Stdout)!["packs"]!.AsArray())
            {
                foreach (var blob in pack!["blobs"]!.AsArray())
                {
                    ulong? uncompressed = blob!["uncompressed_length"] is { } u ? u.GetValue<ulong>() : null;
                    blobs[blob["type"]!.GetValue<string>() + blob["id"]!.GetValue<string>()] = (blob["length"]!.GetValue<ulong>(), uncompressed);
                }
            }
        }

        ulong total = 0, compressedStored = 0, compressedUncompressed = 0;
        foreach (var (length, uncompressed) in blobs.Values)
        {
            total += uncompressed is { } size ? size + 32 : length;
            if (uncompressed is { } plain)
            {
                compressedStored += length;
                compressedUncompressed += plain + 32;
            }
        }

        return (total, compressedStored, compressedUncompressed);
    }
}
