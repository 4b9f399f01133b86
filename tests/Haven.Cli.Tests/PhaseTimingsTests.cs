// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>HAVEN_TIMINGS=1 breaks a command's fixed cost down on stderr for bench/run.sh, and changes nothing else.</summary>
public sealed class PhaseTimingsTests
{
    [Fact]
    public void A_single_file_restore_reports_each_fixed_phase_once_with_its_seconds()
    {
        using var repo = new CliRepository(environment: new Dictionary<string, string?> { ["HAVEN_TIMINGS"] = "1" });
        string file = repo.WriteSource("dir/small.c", "int main() { return 0; }\n");
        repo.WriteSource("dir/other.c", "other\n");
        repo.Cli.RunChecked("backup", "--quiet", repo.Source);
        string target = repo.Temp.Combine("target");

        var result = repo.Cli.RunChecked("restore", "latest", "--target", target, "--include", file, "--quiet");

        Assert.Equal(string.Empty, result.Stdout);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Matches("^haven-(timing|stage|process): ", line));
        var phases = lines.Where(line => !line.StartsWith("haven-stage: ", StringComparison.Ordinal) && !line.StartsWith("haven-process: ", StringComparison.Ordinal))
            .Select(line =>
            {
                Assert.StartsWith("haven-timing: ", line, StringComparison.Ordinal);
                string[] words = line["haven-timing: ".Length..].Split(' ');
                Assert.Equal("s", words[^1]);
                double seconds = double.Parse(words[^2], CultureInfo.InvariantCulture);
                Assert.InRange(seconds, 0, 600);
                return string.Join(' ', words[..^2]);
            })
            .ToList();
        Assert.Equal(
            [
                "start-up (runtime, JIT, parsing)", "key derivation", "open repository (with key derivation)", "snapshot listing", "index loading",
                "restore: tree walk (folders, links, plan)", "restore: collection after the walk", "restore: files by pack", "restore: folder metadata",
                "command body", "process so far",
            ],
            phases);
        var stages = lines.Where(line => line.StartsWith("haven-stage: ", StringComparison.Ordinal)).Select(line => line.Split(' ')[1]).ToList();
        Assert.Contains("read", stages);
        Assert.Contains("decrypt", stages);
        Assert.Contains("hash", stages);
        Assert.Contains("write", stages);
        Assert.Contains("metadata", stages);
        Assert.Single(lines, line => line.StartsWith("haven-process: user-cpu ", StringComparison.Ordinal));
        Assert.Equal("int main() { return 0; }\n", File.ReadAllText(target + file));
        Assert.False(File.Exists(target + Path.Combine(repo.Source, "dir/other.c")));
    }

    [Fact]
    public void A_backup_writes_its_stage_profile_to_the_HAVEN_PROFILE_file()
    {
        using var temp = new TempDirectory();
        string profile = temp.Combine("profile.tsv");
        using var repo = new CliRepository(environment: new Dictionary<string, string?> { ["HAVEN_PROFILE"] = profile });
        string content = string.Concat(Enumerable.Repeat("a line of source text, compressible\n", 20_000));
        repo.WriteSource("a.txt", content);

        var result = repo.Cli.RunChecked("backup", "--quiet", repo.Source);

        Assert.DoesNotContain("haven-", result.Stderr, StringComparison.Ordinal);
        var rows = File.ReadAllLines(profile).Select(line => line.Split('\t')).ToList();
        var stages = rows.Where(row => row[0] == "stage").ToDictionary(row => row[1], row => (Seconds: double.Parse(row[2], CultureInfo.InvariantCulture), Bytes: long.Parse(row[3], CultureInfo.InvariantCulture)));
        foreach (string stage in new[] { "walk", "read", "chunk", "hash", "queue", "compress", "encrypt", "pack", "write", "tree" })
        {
            Assert.True(stages.ContainsKey(stage), $"no {stage} stage in {string.Join(", ", stages.Keys)}");
            Assert.InRange(stages[stage].Seconds, 0, 600);
        }

        Assert.Equal(content.Length, stages["read"].Bytes);
        Assert.Equal(content.Length, stages["chunk"].Bytes);
        Assert.True(stages["compress"].Bytes >= content.Length, $"compressed {stages["compress"].Bytes} bytes");
        Assert.Contains(rows, row => row is ["phase", "command body", _]);
        Assert.Contains(rows, row => row is ["process", "user-cpu", _] && double.Parse(row[2], CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void A_backup_reports_its_stages_once_each_after_the_fixed_phases()
    {
        using var repo = new CliRepository(environment: new Dictionary<string, string?> { ["HAVEN_TIMINGS"] = "1" });
        repo.WriteSource("dir/small.c", "int main() { return 0; }\n");

        var result = repo.Cli.RunChecked("backup", "--quiet", repo.Source);

        var stages = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("haven-timing: ", StringComparison.Ordinal))
            .Select(line => line["haven-timing: ".Length..line.LastIndexOf(' ', line.Length - 3)])
            .Where(phase => phase.StartsWith("backup: ", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(
            [
                "backup: walk, read, chunk and hash (until the root tree)",
                "backup: savers drained after the walk",
                "backup: parent trees loaded and parsed (sum)",
                "backup: trees encoded, hashed and saved (sum)",
                "backup: last packs and index written",
                "backup: snapshot written",
            ],
            stages);
    }

    [Fact]
    public void Without_the_variable_nothing_is_reported()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "a");

        var result = repo.Cli.RunChecked("backup", "--quiet", repo.Source);

        Assert.DoesNotContain("haven-timing", result.Stderr, StringComparison.Ordinal);
    }
}
