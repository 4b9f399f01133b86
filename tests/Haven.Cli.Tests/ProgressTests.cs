// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.RegularExpressions;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>Backup progress: plain lines off a terminal, a live line on one, JSON status lines, or silence.</summary>
public sealed partial class ProgressTests
{
    private static readonly Dictionary<string, string?> s_fastProgress = new() { ["HAVEN_PROGRESS_INTERVAL"] = "0.05" };

    [Fact]
    public void Off_a_terminal_progress_is_plain_lines_with_rate_on_stderr()
    {
        using var repo = SourceOfFewMegabytes();

        var result = repo.Cli.Run("backup", repo.Source);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(PlainLine(), line));
        Assert.Contains(lines, line => EtaOrPercent().IsMatch(line));
        Assert.DoesNotContain('\r', result.Stderr);
        Assert.DoesNotContain('\e', result.Stderr);
        Assert.Contains("snapshot ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void With_json_stdout_holds_status_lines_then_one_summary()
    {
        using var repo = SourceOfFewMegabytes();

        var result = repo.Cli.Run("backup", "--json", repo.Source);

        Assert.Equal(0, result.ExitCode);
        var messages = CliRepository.JsonLines(result.Stdout);
        Assert.True(messages.Count >= 2, result.Stdout);
        Assert.All(messages[..^1], m => Assert.Equal("status", m.GetProperty("message_type").GetString()));
        Assert.All(messages[..^1], m => Assert.True(m.TryGetProperty("bytes_done", out _)));
        Assert.Equal("summary", messages[^1].GetProperty("message_type").GetString());
        Assert.Equal(4, messages[^1].GetProperty("files_new").GetInt32());
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public void Quiet_prints_nothing_but_errors()
    {
        using var repo = SourceOfFewMegabytes();

        var quiet = repo.Cli.Run("backup", "--quiet", repo.Source);
        var missing = repo.Cli.Run("backup", "--quiet", repo.Source, repo.Temp.Combine("missing"));

        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal(string.Empty, quiet.Stdout);
        Assert.Equal(string.Empty, quiet.Stderr);
        Assert.Equal(3, missing.ExitCode);
        Assert.Equal(string.Empty, missing.Stdout);
        Assert.Equal($"error: {repo.Temp.Combine("missing")} does not exist; it is not in the snapshot\n", missing.Stderr);
    }

    [Fact]
    public void On_a_terminal_the_progress_line_is_redrawn_in_place_and_the_summary_follows()
    {
        using var repo = SourceOfFewMegabytes();
        string command = $"{HavenCli.CommandLine} backup {repo.Source}";

        var result = ProcessRunner.Run("script", ["-qfec", command, "/dev/null"], repo.Cli.Options);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.Stdout}");
        Assert.Matches(@"\r|\e\[", result.Stdout);
        Assert.Matches(@"Files:\s+4 new,\s+0 changed,\s+0 unmodified", result.Stdout);
        Assert.Matches(@"snapshot [0-9a-f]{8} saved", result.Stdout);
    }

    private static CliRepository SourceOfFewMegabytes()
    {
        var repo = new CliRepository(environment: s_fastProgress);
        var random = new Random(42);
        for (int i = 0; i < 4; i++)
        {
            byte[] content = new byte[1024 * 1024];
            random.NextBytes(content);
            File.WriteAllBytes(Path.Combine(repo.Source, $"file{i}.bin"), content);
        }

        return repo;
    }

    // "[0:01] 25.0% 1 files 1.000 MiB of 4 files 4.000 MiB, 1.000 MiB/s ETA 0:03  /path" as the printer writes it.
    [GeneratedRegex(@"^\[\d+:\d\d\] (\d+\.\d% )?\d+ files \d+(\.\d+)? [KMG]?i?B of \d+\+? files.*, \d+(\.\d+)? [KMG]?i?B/s")]
    private static partial Regex PlainLine();

    [GeneratedRegex(@"^\[\d+:\d\d\] \d+\.\d% |ETA \d+:\d\d")]
    private static partial Regex EtaOrPercent();
}
