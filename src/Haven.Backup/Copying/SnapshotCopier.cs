// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Restoring;
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Format.Trees;
using Haven.Repository.Locking;
using Haven.Repository.Snapshots;
using Haven.Repository.Writing;

namespace Haven.Backup.Copying;

/// <summary>
/// Copies snapshots between repositories as restic's copy does. A source snapshot is skipped
/// when the destination holds a snapshot with the same original ID and the same time, tree,
/// host, user, paths, tags and excludes. Otherwise every tree and data blob the destination
/// lacks is loaded from the source (which verifies it), stored through a <see cref="BlobWriter"/>,
/// and the snapshot is saved without parent and with "original" naming the first version.
/// Both repositories hold a shared lock meanwhile.
/// </summary>
public sealed class SnapshotCopier
{
    private const int CopyConcurrency = 4;

    private readonly Repository.Repository _source;
    private readonly Repository.Repository _destination;

    public SnapshotCopier(Repository.Repository source, Repository.Repository destination)
    {
        _source = source;
        _destination = destination;
    }

    /// <summary>Copies <paramref name="snapshots"/> (from the source) in order; <paramref name="onCopied"/> hears about each.</summary>
    public async Task<List<CopiedSnapshot>> CopyAsync(IReadOnlyList<(Id Id, Snapshot Snapshot)> snapshots, Action<CopiedSnapshot> onCopied, CancellationToken cancellationToken)
    {
        await using var sourceLock = await RepositoryLock.AcquireAsync(_source, exclusive: false, cancellationToken).ConfigureAwait(false);
        await using var destinationLock = await RepositoryLock.AcquireAsync(_destination, exclusive: false, cancellationToken).ConfigureAwait(false);
        await _source.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        await _destination.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var existing = new Dictionary<Id, List<(Id Id, Snapshot Snapshot)>>();
        foreach (var (id, snapshot) in await SnapshotCatalog.LoadAllAsync(_destination, cancellationToken).ConfigureAwait(false))
        {
            Remember(existing, snapshot.Original ?? id, (id, snapshot));
        }

        var results = new List<CopiedSnapshot>();
        foreach (var (id, snapshot) in snapshots)
        {
            var original = snapshot.Original ?? id;
            var result = existing.TryGetValue(original, out var candidates) && candidates.FirstOrDefault(c => AreSame(c.Snapshot, snapshot)) is { Snapshot: not null } twin
                ? new CopiedSnapshot(id, snapshot, twin.Id, Skipped: true, 0, 0)
                : await CopyOneAsync(id, snapshot, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            if (!result.Skipped)
            {
                Remember(existing, original, (result.DestinationId, snapshot));
            }

            onCopied(result);
        }

        return results;
    }

    /// <summary>restic's similarSnapshots: everything but parent and original is equal (paths and tags as sets).</summary>
    public static bool AreSame(Snapshot a, Snapshot b) =>
        a.Time.ToDateTimeOffset() == b.Time.ToDateTimeOffset() && a.Tree == b.Tree && a.Hostname == b.Hostname
        && a.Username == b.Username && a.Uid == b.Uid && a.Gid == b.Gid
        && SameSet(a.Paths, b.Paths) && SameSet(a.Tags, b.Tags)
        && (a.Excludes ?? []).SequenceEqual(b.Excludes ?? []);

    private static void Remember(Dictionary<Id, List<(Id Id, Snapshot Snapshot)>> existing, Id original, (Id, Snapshot) copy)
    {
        if (!existing.TryGetValue(original, out var list))
        {
            existing[original] = list = [];
        }

        list.Add(copy);
    }

    private static bool SameSet(List<string>? a, List<string>? b) =>
        (a ?? []).Count == (b ?? []).Count && (a ?? []).All(item => (b ?? []).Contains(item));

    private async Task<CopiedSnapshot> CopyOneAsync(Id id, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var writer = new BlobWriter(_destination);
        var trees = new TreeLoader(_source);
        var visited = new HashSet<Id>();
        var pending = new Stack<Id>([snapshot.Tree]);
        var missing = new List<BlobHandle>();
        var seen = new HashSet<BlobHandle>();
        while (pending.TryPop(out var treeId))
        {
            if (!visited.Add(treeId))
            {
                continue;
            }

            Want(new BlobHandle(treeId, BlobType.Tree));
            foreach (var node in (await trees.LoadAsync(treeId, cancellationToken).ConfigureAwait(false)).Nodes)
            {
                if (node is { Type: NodeType.File, Content: { } content })
                {
                    foreach (var blob in content)
                    {
                        Want(new BlobHandle(blob, BlobType.Data));
                    }
                }
                else if (node is { Type: NodeType.Dir, Subtree: Id subtree })
                {
                    pending.Push(subtree);
                }
            }
        }

        long bytes = 0;
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = CopyConcurrency, CancellationToken = cancellationToken }, async (handle, ct) =>
        {
            byte[] plaintext = await _source.LoadBlobAsync(handle, ct).ConfigureAwait(false);
            await writer.SaveBlobAsync(handle.Type, handle.Id, plaintext, ct).ConfigureAwait(false);
            Interlocked.Add(ref bytes, plaintext.Length);
        }).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        var copy = Snapshot.Parse(snapshot.ToJson());
        copy.Parent = null;
        copy.Original ??= id;
        var newId = await SnapshotCatalog.SaveAsync(_destination, copy, cancellationToken).ConfigureAwait(false);
        return new CopiedSnapshot(id, snapshot, newId, Skipped: false, missing.Count, bytes);

        void Want(BlobHandle handle)
        {
            if (seen.Add(handle) && !_destination.HasBlob(handle))
            {
                missing.Add(handle);
            }
        }
    }
}
