// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Apps.Tests.Hooks;

/// <summary>backup --pre-hook, --post-hook and --hook-timeout, run through the real haven binary.</summary>
public sealed class BackupHookTests : IDisposable
{
    private const string Password = "hook-test";

    private readonly TempDirectory _temp = new("hooks");
    private readonly HavenCli _haven;
    private readonly string _source;

    public BackupHookTests()
    {
        _haven = new HavenCli(_temp.Combine("repo"), Password, _temp.CreateSubdirectory("home"));
        _haven.RunChecked("init");
        _source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(_source, "file.txt"), "content");
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_post_hook_of_a_written_backup_gets_the_snapshot_id_the_status_and_the_repository()
    {
        string seen = _temp.Combine("seen");

        var backup = _haven.RunChecked("backup", _source, "--json",
            "--pre-hook", "echo preparing; echo warming up >&2",
            "--post-hook", $"echo \"$HAVEN_HOOK $HAVEN_BACKUP_STATUS $HAVEN_SNAPSHOT_ID $HAVEN_REPOSITORY [${{HAVEN_BACKUP_ERROR-unset}}]\" > {seen}");

        var lines = backup.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        string snapshot = (string)lines.Last()["snapshot_id"]!;
        Assert.Equal($"post success {snapshot} {_temp.Combine("repo")} []\n", File.ReadAllText(seen));
        var hookLines = lines.Where(json => (string?)json["message_type"] == "hook_output").Select(json => $"{json["hook"]} {json["stream"]} {json["text"]}").ToList();
        Assert.Equal(["pre-hook stderr warming up", "pre-hook stdout preparing"], hookLines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_failing_pre_hook_aborts_the_backup_with_its_exit_code_and_stderr_and_the_post_hook_still_runs()
    {
        string seen = _temp.Combine("seen");
        string error = _temp.Combine("error");

        var backup = _haven.Run("backup", _source,
            "--pre-hook", "echo 'first line' >&2; echo 'database is locked' >&2; exit 3",
            "--post-hook", $"echo \"$HAVEN_BACKUP_STATUS [$HAVEN_SNAPSHOT_ID]\" > {seen}; printf %s \"$HAVEN_BACKUP_ERROR\" > {error}");

        Assert.Equal(20, backup.ExitCode);
        Assert.Contains("pre-hook 'echo 'first line' >&2; echo 'database is locked' >&2; exit 3' failed with exit code 3", backup.Stderr, StringComparison.Ordinal);
        Assert.Contains("the last lines it wrote to stderr:\n  first line\n  database is locked", backup.Stderr, StringComparison.Ordinal);
        Assert.Equal("failed []\n", File.ReadAllText(seen));
        Assert.StartsWith("pre-hook 'echo 'first line' >&2; echo 'database is locked' >&2; exit 3' failed with exit code 3", File.ReadAllText(error), StringComparison.Ordinal);
        Assert.Contains($"Fatal: {File.ReadAllText(error)}", backup.Stderr, StringComparison.Ordinal);
        Assert.Equal("[]", _haven.RunChecked("snapshots", "--json").Stdout.Trim());
    }

    [Fact]
    public void The_post_hook_of_a_failed_backup_gets_the_error_message_haven_prints()
    {
        string seen = _temp.Combine("seen");
        string error = _temp.Combine("error");
        string missing = _temp.Combine("no-such-repo");

        var backup = _haven.Run("backup", _source, "--repo", missing,
            "--post-hook", $"echo \"$HAVEN_BACKUP_STATUS [$HAVEN_SNAPSHOT_ID]\" > {seen}; printf %s \"$HAVEN_BACKUP_ERROR\" > {error}");

        Assert.Equal(10, backup.ExitCode);
        Assert.Equal("failed []\n", File.ReadAllText(seen));
        Assert.Contains(missing, File.ReadAllText(error), StringComparison.Ordinal);
        Assert.Contains($"Fatal: {File.ReadAllText(error)}\n", backup.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pre_hook_that_runs_too_long_is_killed_with_everything_it_started()
    {
        string child = _temp.Combine("child.pid");

        var backup = _haven.Run("backup", _source, "--hook-timeout", "2s", "--pre-hook", $"sleep 600 & echo $! > {child}; sleep 600");

        Assert.Equal(20, backup.ExitCode);
        Assert.Contains("did not finish within 2 s and was killed with its process group", backup.Stderr, StringComparison.Ordinal);
        int pid = int.Parse(File.ReadAllText(child).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Wait.Until(() => IsGone(pid), TimeSpan.FromSeconds(30), $"the pre-hook's background child {pid} to die");
        Assert.Equal("[]", _haven.RunChecked("snapshots", "--json").Stdout.Trim());
    }

    [Fact]
    public async Task On_SIGTERM_the_backup_stops_and_the_post_hook_runs_to_its_end_with_status_canceled()
    {
        string started = _temp.Combine("started");
        string seen = _temp.Combine("seen");
        using var running = _haven.Start("backup", _source,
            "--pre-hook", $"touch {started}; sleep 600",
            // Longer than System.CommandLine's 2 s grace after a signal: haven must wait for it.
            "--post-hook", $"sleep 4; echo \"$HAVEN_BACKUP_STATUS [$HAVEN_BACKUP_ERROR]\" > {seen}");
        await Wait.UntilAsync(() => File.Exists(started), TimeSpan.FromMinutes(2), "the pre-hook to start", Token);

        ProcessRunner.RunChecked("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var result = await running.WaitForExitAsync(Token);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("canceled [the backup was canceled]\n", File.ReadAllText(seen));
        Assert.Equal("[]", _haven.RunChecked("snapshots", "--json").Stdout.Trim());
    }

    [Fact]
    public async Task On_SIGINT_a_stdin_backup_that_never_gets_input_runs_its_post_hook_and_exits_130_within_seconds()
    {
        string seen = _temp.Combine("seen");
        string locks = _temp.Combine("repo/locks");
        // A terminal, not a pipe: .NET abandons a pipe read on cancellation but not a terminal read.
        using var terminal = new PseudoTerminal();
        var haven = new HavenCli(_temp.Combine("repo"), Password, _haven.HomeDirectory, new Dictionary<string, string?> { ["HAVEN_PROGRESS_INTERVAL"] = "0.5" });
        using var running = haven.StartOnTerminal(terminal, "backup", "--stdin", "--stdin-filename", "never.bin",
            "--post-hook", $"echo \"$HAVEN_BACKUP_STATUS [$HAVEN_BACKUP_ERROR]\" > {seen}");
        // The lock is taken just before the archiver starts its read of standard input; the progress line says it reads it.
        await Wait.UntilAsync(() => Directory.Exists(locks) && Directory.GetFiles(locks).Length == 1 && running.CurrentStderr.Contains("never.bin", StringComparison.Ordinal),
            TimeSpan.FromMinutes(2), "the backup to read standard input", Token);

        var clock = Stopwatch.StartNew();
        ProcessRunner.RunChecked("kill", ["-INT", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var result = await running.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromMinutes(2), Token);
        var elapsed = clock.Elapsed;

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("canceled [the backup was canceled]\n", File.ReadAllText(seen));
        // System.CommandLine's 2 s and ShutdownDelay's 3 s of grace, the hook, and a loaded machine: well under
        // the minutes a stuck read used to hold the process.
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"haven took {elapsed} to exit after SIGINT");
        Assert.Equal("[]", _haven.RunChecked("snapshots", "--json").Stdout.Trim());
    }

    [Fact]
    public void A_failing_post_hook_after_a_written_backup_exits_20_and_keeps_the_snapshot()
    {
        var backup = _haven.Run("backup", _source, "--post-hook", "echo 'notify failed' >&2; exit 7");

        Assert.Equal(20, backup.ExitCode);
        Assert.Contains("post-hook 'echo 'notify failed' >&2; exit 7' failed with exit code 7", backup.Stderr, StringComparison.Ordinal);
        Assert.Contains("only the post-hook failed", backup.Stderr, StringComparison.Ordinal);
        Assert.NotEqual("[]", _haven.RunChecked("snapshots", "--json").Stdout.Trim());
    }

    private static bool IsGone(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        // A killed child whose parent is gone may linger as a zombie until init reaps it: it runs no more.
        return !File.Exists(stat) || File.ReadAllText(stat).Split(')')[^1].TrimStart().StartsWith('Z');
    }
}
