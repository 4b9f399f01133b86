// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Pruning;

/// <summary>
/// A prune killed with SIGKILL at any step leaves a repository that restic checks clean, whose
/// remaining snapshots restore identical, and that the next prune finishes cleaning.
/// </summary>
public sealed class PruneCrashTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(2);

    public enum Moment
    {
        /// <summary>A repacked pack has been stored: the old index still names every old pack.</summary>
        NewPackStored,

        /// <summary>An index file was written: old and new index files name the same packs.</summary>
        NewIndexWritten,

        /// <summary>An old index file is gone: some packs still to delete are named by no index.</summary>
        OldIndexDeleted,

        /// <summary>An obsolete pack is gone, others are not yet.</summary>
        OldPackDeleted,
    }

    [Theory]
    [InlineData(Moment.NewPackStored)]
    [InlineData(Moment.NewIndexWritten)]
    [InlineData(Moment.OldIndexDeleted)]
    [InlineData(Moment.OldPackDeleted)]
    public async Task A_prune_killed_at_any_step_leaves_a_valid_repository_that_the_next_prune_cleans(Moment moment)
    {
        using var repository = new PruneRepository();
        var packs = repository.Packs();
        var indexes = repository.IndexFiles();
        Func<bool> reached = moment switch
        {
            Moment.NewPackStored => () => repository.Packs().Any(p => !packs.Contains(p)),
            Moment.NewIndexWritten => () => repository.IndexFiles().Any(i => !indexes.Contains(i)),
            Moment.OldIndexDeleted => () => !indexes.IsSubsetOf(repository.IndexFiles()),
            _ => () => !packs.IsSubsetOf(repository.Packs()),
        };

        using (var prune = repository.Haven.Start("prune", "--max-unused", "0%"))
        {
            Wait.Until(() => reached() || prune.HasExited, s_deadline, $"prune to reach {moment}");
            bool killed = !prune.HasExited;
            prune.Kill();
            var result = await prune.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(killed || result.ExitCode == 0, $"prune exited {result.ExitCode} by itself: {result.Stderr}");
        }

        repository.Restic.RunChecked("unlock");
        repository.AssertResticCheckPasses();
        repository.AssertRemainingRestoreIdentical();

        repository.Haven.RunChecked("prune", "--max-unused", "0%");

        repository.AssertResticCheckPasses();
        repository.AssertRemainingRestoreIdentical();
        var after = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--dry-run", "--max-unused", "0%", "--json"));
        Assert.Equal(0, after.GetProperty("prune_size").GetInt64());
        Assert.Equal(0, after.GetProperty("duplicate_blobs").GetInt64());
        Assert.Empty(repository.Locate(repository.UnusedBlob));
    }
}
