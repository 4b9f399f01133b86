// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

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
        var phases = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
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
            ["start-up (runtime, JIT, parsing)", "key derivation", "open repository (with key derivation)", "snapshot listing", "index loading", "command body", "process so far"],
            phases);
        Assert.Equal("int main() { return 0; }\n", File.ReadAllText(target + file));
        Assert.False(File.Exists(target + Path.Combine(repo.Source, "dir/other.c")));
    }

    [Fact]
    public void A_backup_reports_its_stages_once_each_after_the_fixed_phases()
    {
        using var repo = new CliRepository(environment: new Dictionary<string, string?> { ["HAVEN_TIMINGS"] = "1" });
        repo.WriteSource("dir/small.c", "int main() { return 0; }\n");

        var result = repo.Cli.RunChecked("backup", "--quiet", repo.Source);

        var stages = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
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
