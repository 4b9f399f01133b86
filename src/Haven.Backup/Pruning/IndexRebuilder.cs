// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Diagnostics;
using Haven.Format.Indexes;

namespace Haven.Backup.Pruning;

/// <summary>
/// Writes the index after prune: every pack that stays (kept packs and the new ones from
/// repacking), in files of at most 50,000 blobs, the first of which names every index file it
/// replaces in "supersedes". Each file is stored durably (the backend syncs) before this returns.
/// </summary>
internal sealed class IndexRebuilder
{
    private const int MaxBlobsPerFile = 50_000;

    private readonly Repository.Repository _repository;

    public IndexRebuilder(Repository.Repository repository)
    {
        _repository = repository;
    }

    /// <summary>Returns how many index files were written.</summary>
    public async Task<int> WriteAsync(IndexScanner scanner, PrunePlan plan, CancellationToken cancellationToken)
    {
        int written = 0;
        int blobs = 0;
        var current = NewFile(scanner.IndexFiles, first: true);
        await foreach (var pack in scanner.PacksAsync(cancellationToken).ConfigureAwait(false))
        {
            if (plan.Leaves(pack.PackId))
            {
                continue;
            }

            current.Packs.Add(pack);
            blobs += pack.Blobs.Count;
            if (blobs >= MaxBlobsPerFile)
            {
                await _repository.SaveUnpackedAsync(FileType.Index, current.ToJson(), cancellationToken).ConfigureAwait(false);
                StopPoint.Reach(StopPoint.IndexStored);
                written++;
                blobs = 0;
                current = NewFile(scanner.IndexFiles, first: false);
            }
        }

        if (current.Packs.Count > 0 || written == 0)
        {
            await _repository.SaveUnpackedAsync(FileType.Index, current.ToJson(), cancellationToken).ConfigureAwait(false);
            StopPoint.Reach(StopPoint.IndexStored);
            written++;
        }

        return written;
    }

    private static IndexFile NewFile(IReadOnlyList<Id> superseded, bool first)
    {
        var file = new IndexFile();
        if (first)
        {
            file.Supersedes.AddRange(superseded);
        }

        return file;
    }
}
