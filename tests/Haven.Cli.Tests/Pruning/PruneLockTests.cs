// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Pruning;

/// <summary>prune needs the repository to itself: it refuses while a backup holds its lock.</summary>
public sealed class PruneLockTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Prune_during_a_running_backup_exits_11_naming_the_backup_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var repository = new PruneRepository();
        var files = repository.Files();
        string fifo = repository.Combine("stdin.fifo");
        ProcessRunner.RunChecked("mkfifo", [fifo]);

        // The backup reads its stdin from a pipe this test holds open, so it runs until the test lets it finish.
        using var backup = ProcessRunner.Start(
            "sh",
            ["-c", "exec \"$0\" \"$@\" < \"$HAVEN_TEST_FIFO\"", .. HavenCli.Command, "backup", "--stdin", "--stdin-filename", "slow.txt"],
            repository.Haven.Options.WithEnvironment(new Dictionary<string, string?> { ["HAVEN_TEST_FIFO"] = fifo }));
        await using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write))
        {
            await writer.WriteAsync("the first part of a slow stream\n"u8.ToArray(), ct);
            await writer.FlushAsync(ct);
            string locks = Path.Combine(repository.RepositoryPath, "locks");
            Wait.Until(() => Directory.EnumerateFiles(locks).Any() || backup.HasExited, s_deadline, "the backup to take its lock");
            Assert.False(backup.HasExited, backup.CurrentStderr);

            var prune = repository.Haven.Run("prune");

            Assert.Equal(11, prune.ExitCode);
            Assert.Contains("is already locked", prune.Stderr, StringComparison.Ordinal);
            Assert.Contains($"PID {backup.Id} ", prune.Stderr, StringComparison.Ordinal);
            Assert.Equal(files, repository.Files());
            Assert.False(backup.HasExited);
        }

        var finished = await backup.WaitForExitAsync(ct);
        Assert.True(finished.ExitCode == 0, finished.Stderr);
        repository.Haven.RunChecked("prune");
        repository.AssertResticCheckPasses();
    }
}
