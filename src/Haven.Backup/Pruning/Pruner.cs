// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Diagnostics;
using Haven.Repository.Errors;
using Haven.Repository.Locking;
using Haven.Repository.Snapshots;
using Haven.Storage;

namespace Haven.Backup.Pruning;

/// <summary>
/// Removes data no snapshot uses, as restic 0.14's prune does, under an exclusive lock:
/// <list type="number">
/// <item>load the index and mark every blob reachable from any snapshot (<see cref="UsedBlobFinder"/>);</item>
/// <item>decide per pack: keep, repack or delete (<see cref="PackPlanner"/>); a dry run stops here;</item>
/// <item>copy the used blobs of the packs to repack into new packs, each verified first (<see cref="PackRepacker"/>);</item>
/// <item>write a new complete index naming the kept and new packs, superseding every old index file;</item>
/// <item>only then delete the old index files;</item>
/// <item>only then delete the packs no longer named: repacked, unused and unreferenced ones.</item>
/// </list>
/// The order makes a crash at any point harmless. Until step 4 finishes, the old index still
/// names every old pack and nothing was deleted; new packs are extra copies (restic check calls
/// packs without an index entry harmless, and the next prune deletes them or counts the copies as
/// duplicates). Between steps 4 and 5 both indexes name the kept packs, which is allowed. After
/// step 5 the packs still to delete are named by no index: unreferenced packs, which the next prune
/// deletes first. No step deletes anything a remaining index file names. A damaged blob or a
/// missing pack stops prune before step 5, so nothing is deleted.
/// </summary>
public sealed class Pruner
{
    private readonly Repository.Repository _repository;

    public Pruner(Repository.Repository repository)
    {
        _repository = repository;
    }

    public PruneStatus Status { get; } = new();

    public async Task<PruneResult> RunAsync(PruneOptions options, CancellationToken cancellationToken)
    {
        if (_repository.Config.Version < 2)
        {
            throw new RepositoryException($"repository {_repository.Backend.Location} has format version {_repository.Config.Version}; haven prune writes version 2 only");
        }

        await using var held = await RepositoryLock.AcquireAsync(_repository, exclusive: true, cancellationToken).ConfigureAwait(false);
        Status.Phase = PrunePhase.LoadingIndex;
        var oldIndexFiles = await _repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false);
        await _repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);

        Status.Phase = PrunePhase.FindingUsedBlobs;
        var used = new BlobUseTable(_repository.Index.Count);
        var finder = new UsedBlobFinder(_repository, used, Status);
        var snapshots = await SnapshotCatalog.LoadAllAsync(_repository, cancellationToken).ConfigureAwait(false);
        Status.Snapshots = snapshots.Count;
        foreach (var (id, snapshot) in snapshots)
        {
            await finder.AddSnapshotAsync(id, snapshot.Tree, cancellationToken).ConfigureAwait(false);
        }

        Status.Phase = PrunePhase.Planning;
        var oldScanner = new IndexScanner(_repository, oldIndexFiles);
        var plan = await new PackPlanner(_repository, oldScanner, used).PlanAsync(options, cancellationToken).ConfigureAwait(false);
        Status.PacksToRepack = plan.Repack.Count;
        Status.BytesToRepack = plan.Stats.RepackBytes;
        if (options.DryRun)
        {
            Status.Phase = PrunePhase.Done;
            return new PruneResult(plan.Stats, DryRun: true, 0, 0, 0, used.MemoryBytes);
        }

        var indexFiles = oldIndexFiles;
        if (plan.Repack.Count > 0)
        {
            Status.Phase = PrunePhase.Repacking;

            // The tree walk's garbage (parsed trees) is dead now, and the runtime keeps the memory it freed committed
            // for reuse, in regions the repacker's large arrays cannot use. An aggressive collection returns it to the
            // system first: the peak of a prune that repacks fell from ~67 to ~52 MiB of anonymous memory (a few ms).
            FreedMemory.ReturnToSystem();
            await new PackRepacker(_repository, oldScanner, used, Status).RepackAsync(plan, cancellationToken).ConfigureAwait(false);
            var known = oldIndexFiles.ToHashSet();
            var written = await _repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false);
            indexFiles = [.. oldIndexFiles, .. written.Where(id => !known.Contains(id))];
        }

        int packsWritten = 0, indexWritten = 0;
        var retained = new List<RetainedFileException>();
        int indexRetained = 0;
        if (plan.ChangesIndex)
        {
            Status.Phase = PrunePhase.WritingIndex;
            var scanner = new IndexScanner(_repository, indexFiles);
            packsWritten = await CountNewPacksAsync(scanner, oldIndexFiles.Count, cancellationToken).ConfigureAwait(false);
            indexWritten = await new IndexRebuilder(_repository).WriteAsync(scanner, plan, cancellationToken).ConfigureAwait(false);

            Status.Phase = PrunePhase.DeletingOldIndexes;
            await DeleteAsync(FileType.Index, indexFiles, retained, cancellationToken).ConfigureAwait(false);
            indexRetained = retained.Count;
        }

        List<Id> doomedPacks = [.. plan.Unreferenced, .. plan.Delete, .. plan.Repack];
        int packsRetained = 0;
        if (indexRetained > 0)
        {
            // An old index the store keeps still names these packs: deleting them would leave it
            // pointing at nothing. They stay, unused, until a prune after the retention ends.
            packsRetained = doomedPacks.Count;
        }
        else
        {
            Status.Phase = PrunePhase.DeletingPacks;
            await DeleteAsync(FileType.Pack, doomedPacks, retained, cancellationToken).ConfigureAwait(false);
            packsRetained = retained.Count - indexRetained;
        }

        Status.Phase = PrunePhase.Done;
        return new PruneResult(plan.Stats, DryRun: false, packsWritten, indexWritten, plan.ChangesIndex ? indexFiles.Count - indexRetained : 0, used.MemoryBytes)
        {
            IndexFilesRetained = indexRetained,
            PacksRetained = packsRetained,
            RetainedUntil = retained.Max(r => r.RetainedUntil),
        };
    }

    private async Task<int> CountNewPacksAsync(IndexScanner scanner, int oldFiles, CancellationToken cancellationToken)
    {
        if (scanner.IndexFiles.Count == oldFiles)
        {
            return 0;
        }

        int count = 0;
        var newFiles = new IndexScanner(_repository, [.. scanner.IndexFiles.Skip(oldFiles)]);
        await foreach (var _ in newFiles.PacksAsync(cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    private async Task DeleteAsync(FileType type, IEnumerable<Id> ids, List<RetainedFileException> retained, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            try
            {
                await _repository.Backend.RemoveAsync(FileHandle.For(type, id), cancellationToken).ConfigureAwait(false);
                StopPoint.Reach(type == FileType.Index ? StopPoint.IndexRemoved : StopPoint.PackRemoved);
            }
            catch (Exception error) when (_repository.Backend.IsNotFound(error))
            {
                // Already gone: the state prune wants.
            }
            catch (RetainedFileException error)
            {
                // The store protects it for a while (Object Lock): a later prune deletes it.
                retained.Add(error);
            }
        }
    }
}
