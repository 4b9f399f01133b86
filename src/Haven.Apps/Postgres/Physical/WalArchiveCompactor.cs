// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Indexes;
using Haven.Repository.Errors;
using Haven.Repository.Locking;
using Haven.Repository.Snapshots;
using Haven.Repository.Writing;
using Haven.Storage;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// Keeps a repository that takes a WAL segment every few seconds cheap to open. Each push leaves
/// one more head snapshot and one more small index file; every command lists both, so after some
/// pushes the heads are merged into one and the small index files into one. This removes files,
/// so it runs only under an exclusive lock, taken only when nobody else holds a lock (a running
/// backup or restore simply postpones it to a later push). Everything removed is first written
/// durably in merged form.
/// </summary>
public static class WalArchiveCompactor
{
    /// <summary>Heads at which a push merges them (listing a few small snapshot files costs little).</summary>
    public const int HeadThreshold = 8;

    /// <summary>Small index files at which a push merges them.</summary>
    public const int SmallIndexThreshold = 32;

    // An index file a push writes names one pack of a few dozen blobs; those of backups are large.
    private const int SmallIndexBlobs = 5_000;

    /// <summary>Compacts when due and possible; returns true when it did.</summary>
    public static async Task<bool> TryCompactAsync(Repository.Repository repository, ulong systemId, string programVersion, CancellationToken cancellationToken)
    {
        var heads = await WalArchive.LoadTaggedAsync(repository, PhysicalLayout.WalTag, cancellationToken).ConfigureAwait(false);
        int indexFiles = (await repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false)).Count;
        if (heads.Count(head => head.Snapshot.Paths is [var path] && path == PhysicalLayout.WalRoot(systemId)) < HeadThreshold && indexFiles < SmallIndexThreshold)
        {
            return false;
        }

        RepositoryLock exclusive;
        try
        {
            exclusive = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken).ConfigureAwait(false);
        }
        catch (RepositoryLockedException)
        {
            return false;
        }

        await using (exclusive.ConfigureAwait(false))
        {
            await MergeIndexAsync(repository, cancellationToken).ConfigureAwait(false);
            await MergeHeadsAsync(repository, systemId, programVersion, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static async Task MergeHeadsAsync(Repository.Repository repository, ulong systemId, string programVersion, CancellationToken cancellationToken)
    {
        var archive = await WalArchive.OpenAsync(repository, systemId, cancellationToken).ConfigureAwait(false);
        if (archive.Heads.Count < 2)
        {
            return;
        }

        var writer = new BlobWriter(repository);
        var identity = repository.Options.Identity;
        var now = repository.Options.Time.GetLocalNow();
        var tree = await archive.WriteMergedTreeAsync(writer, null, null, identity, now, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await SnapshotCatalog.SaveAsync(repository, archive.HeadSnapshot(tree, identity, now, programVersion), cancellationToken).ConfigureAwait(false);
        foreach (var head in archive.Heads)
        {
            await repository.Backend.RemoveAsync(FileHandle.For(FileType.Snapshot, head), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task MergeIndexAsync(Repository.Repository repository, CancellationToken cancellationToken)
    {
        var small = new List<(Id Id, IndexFile File)>();
        foreach (var id in await repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false))
        {
            var file = IndexFile.Parse(await repository.LoadUnpackedAsync(FileType.Index, id, cancellationToken).ConfigureAwait(false));
            if (file.Packs.Sum(pack => pack.Blobs.Count) < SmallIndexBlobs)
            {
                small.Add((id, file));
            }
        }

        if (small.Count < 2)
        {
            return;
        }

        var merged = new IndexFile();
        merged.Supersedes.AddRange(small.Select(file => file.Id));
        merged.Packs.AddRange(small.SelectMany(file => file.File.Packs).DistinctBy(pack => pack.PackId));
        await repository.SaveUnpackedAsync(FileType.Index, merged.ToJson(), cancellationToken).ConfigureAwait(false);
        foreach (var (id, _) in small)
        {
            await repository.Backend.RemoveAsync(FileHandle.For(FileType.Index, id), cancellationToken).ConfigureAwait(false);
        }
    }
}
