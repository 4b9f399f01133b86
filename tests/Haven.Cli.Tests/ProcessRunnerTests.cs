// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>The kit's process runner, waiting helper and tool runners behave as tests rely on.</summary>
public sealed class ProcessRunnerTests
{
    [Fact]
    public void Failed_command_names_command_line_exit_code_and_both_outputs()
    {
        var e = Assert.Throws<ProcessFailedException>(
            () => ProcessRunner.RunChecked("sh", ["-c", "echo to-out; echo to-err >&2; exit 3"]));

        Assert.Contains("sh -c 'echo to-out; echo to-err >&2; exit 3' exited with code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("to-out", e.Message, StringComparison.Ordinal);
        Assert.Contains("to-err", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Result.ExitCode);
    }

    [Fact]
    public void Stdin_bytes_come_back_exactly_on_stdout()
    {
        byte[] input = [0, 1, 0xff, 0xfe, (byte)'\n', 0x80];

        var result = ProcessRunner.RunChecked("cat", [], new ProcessOptions { Stdin = input });

        Assert.Equal(input, result.StdoutBytes);
    }

    [Fact]
    public void Environment_overrides_reach_only_the_child_and_null_removes()
    {
        var options = new ProcessOptions { Environment = new Dictionary<string, string?> { ["HAVEN_X"] = "set", ["HOME"] = null } };

        var result = ProcessRunner.RunChecked("/bin/sh", ["-c", "echo \"$HAVEN_X:${HOME-unset}\""], options);

        Assert.Equal("set:unset\n", result.Stdout);
        Assert.Null(Environment.GetEnvironmentVariable("HAVEN_X"));
    }

    [Fact]
    public async Task Started_process_can_be_killed_with_SIGKILL()
    {
        using var process = ProcessRunner.Start("sh", ["-c", "echo ready; exec sleep 60"]);
        Wait.Until(() => process.CurrentStdout.Contains("ready", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "sh to print ready");

        process.Kill();
        var result = await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(128 + 9, result.ExitCode);
    }

    [Fact]
    public void Command_over_its_timeout_is_killed_and_named()
    {
        var e = Assert.Throws<TimeoutException>(
            () => ProcessRunner.Run("sleep", ["60"], new ProcessOptions { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains("sleep 60 did not finish", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wait_that_times_out_names_what_it_waited_for()
    {
        var e = Assert.Throws<TimeoutException>(() => Wait.Until(() => false, TimeSpan.FromMilliseconds(50), "the moon to turn blue"));

        Assert.Contains("the moon to turn blue", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Temp_directory_is_removed_with_long_paths_and_raw_names_inside()
    {
        var temp = new TempDirectory();
        FileTree.Generate(temp.Combine("tree"));

        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
        Assert.StartsWith(TempDirectory.Root + "/", temp.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Restic_runner_runs_restic_0_14()
    {
        using var temp = new TempDirectory();

        var result = new Restic(temp.Combine("repo")).RunChecked("version");

        Assert.StartsWith("restic 0.14.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_built_next_to_the_tests_runs_with_a_private_home()
    {
        using var temp = new TempDirectory();
        var cli = new HavenCli(temp.Combine("repo"), "pw", temp.CreateSubdirectory("home"));

        var result = cli.Run("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(temp.Combine("home/config"), cli.Options.Environment["XDG_CONFIG_HOME"]);
    }
}
