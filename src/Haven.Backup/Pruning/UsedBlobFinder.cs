// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Trees;
using Haven.Repository.Errors;

namespace Haven.Backup.Pruning;

/// <summary>
/// Marks every blob that a snapshot reaches: its trees, and the data blobs of its files. Trees are
/// visited by ID once (the table is the visited set), loaded, scanned and dropped: only the IDs of
/// subtrees still to visit are held, never the trees themselves.
/// </summary>
internal sealed class UsedBlobFinder
{
    private readonly Repository.Repository _repository;
    private readonly BlobUseTable _used;
    private readonly PruneStatus _status;

    public UsedBlobFinder(Repository.Repository repository, BlobUseTable used, PruneStatus status)
    {
        _repository = repository;
        _used = used;
        _status = status;
    }

    public async Task AddSnapshotAsync(Id snapshot, Id root, CancellationToken cancellationToken)
    {
        var pending = new Stack<Id>();
        if (_used.Add(new BlobHandle(root, BlobType.Tree)))
        {
            pending.Push(root);
        }

        while (pending.TryPop(out var id))
        {
            Tree tree;
            try
            {
                tree = Tree.Parse(await _repository.LoadBlobAsync(new BlobHandle(id, BlobType.Tree), cancellationToken).ConfigureAwait(false));
            }
            catch (Exception error) when (error is FormatException or InvalidDataException or System.Text.Json.JsonException)
            {
                throw new DamagedDataException($"tree {id} of snapshot {snapshot.ToShortString()} cannot be parsed: {error.Message}; nothing was pruned", error);
            }
            catch (DamagedDataException error)
            {
                throw new DamagedDataException($"snapshot {snapshot.ToShortString()} cannot be read ({error.Message}); nothing was pruned: prune never deletes data it cannot account for", error);
            }

            foreach (var node in tree.Nodes)
            {
                if (node.Subtree is Id subtree && _used.Add(new BlobHandle(subtree, BlobType.Tree)))
                {
                    pending.Push(subtree);
                }

                foreach (var blob in node.Content ?? [])
                {
                    _used.Add(new BlobHandle(blob, BlobType.Data));
                }
            }

            _status.TreeWalked();
        }
    }
}
