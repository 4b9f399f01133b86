// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Soak;

/// <summary>
/// The short version of tests/soak/crash-soak.sh: three iterations of SIGKILLed backups and
/// prunes on one repository, each followed by both checks, a backup that must succeed and a
/// restore of every snapshot compared with the tree it was taken from.
/// </summary>
public sealed class CrashSoakTests : IDisposable
{
    // A plan (see the script) that kills the first backup 875 ms in, prunes with --max-unused 0%
    // after forget --keep-last 1 on the second iteration and kills it 1.5 s in (if it still runs),
    // and kills the later backups when a pack file starts being written (a run that ends first
    // must exit 0).
    private const string Seed = "344";

    private readonly TempDirectory _directory = new("soak");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Three_soak_iterations_of_killed_backups_and_prunes_lose_nothing()
    {
        string script = Path.Combine(SolutionRoot.Path, "tests", "soak", "crash-soak.sh");
        string work = _directory.Combine("work");

        var result = await ProcessRunner.RunAsync(
            "bash",
            [script, "--iterations", "3", "--seed", Seed, "--work", work, "--haven", HavenCli.CommandLine],
            new ProcessOptions { Timeout = TimeSpan.FromMinutes(10) }, // about 1 min on a quiet machine; a loaded one took over 3
            TestContext.Current.CancellationToken);

        string output = $"crash-soak.sh exited {result.ExitCode}\n{result.Stdout}{result.Stderr}";
        Assert.True(result.ExitCode == 0, output);
        string[] summary = [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(" in ")[0])];
        Assert.True(
            summary.SequenceEqual(["iteration 1/3: ok", "iteration 2/3: ok", "iteration 3/3: ok", "final check: ok", "3 passed, 0 failed"]),
            output);
        Assert.True(result.Stdout.Contains(": killed after ", StringComparison.Ordinal), output);
    }
}
