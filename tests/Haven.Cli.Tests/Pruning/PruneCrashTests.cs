// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Diagnostics;
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
        string stopPoint = moment switch
        {
            Moment.NewPackStored => StopPoint.PackStored,
            Moment.NewIndexWritten => StopPoint.IndexStored,
            Moment.OldIndexDeleted => StopPoint.IndexRemoved,
            _ => StopPoint.PackRemoved,
        };

        using (var prune = repository.Haven.StartStoppingAt(stopPoint, "prune", "--max-unused", "0%"))
        {
            await prune.WaitUntilStoppedAsync(stopPoint, s_deadline, TestContext.Current.CancellationToken);
            var packsNow = repository.Packs();
            var indexesNow = repository.IndexFiles();
            switch (moment)
            {
                case Moment.NewPackStored:
                    Assert.Contains(packsNow, p => !packs.Contains(p));
                    Assert.True(indexes.SetEquals(indexesNow), "the index changed before the repacked pack's index entries were due");
                    break;
                case Moment.NewIndexWritten:
                    Assert.Contains(indexesNow, i => !indexes.Contains(i));
                    Assert.True(indexes.IsSubsetOf(indexesNow), "an old index file went before the new one was written");
                    break;
                case Moment.OldIndexDeleted:
                    Assert.False(indexes.IsSubsetOf(indexesNow), "no old index file is gone");
                    Assert.True(packs.IsSubsetOf(packsNow), "a pack went before the old index files");
                    break;
                default:
                    Assert.False(packs.IsSubsetOf(packsNow), "no old pack is gone");
                    break;
            }

            prune.Kill();
            var result = await prune.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(128 + 9, result.ExitCode);
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
