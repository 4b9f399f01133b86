// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Format.Trees;
using Haven.Repository.Errors;
using Haven.Repository.Snapshots;
using Haven.Repository.Writing;
using Haven.Storage;

namespace Haven.Backup.Repairing;

/// <summary>
/// Rewrites snapshots that name missing data, with restic 0.16's 'repair snapshots' rules: a file
/// keeps only the content blobs still in the index (its size becomes theirs), a folder whose tree
/// cannot be loaded becomes an empty folder, and a snapshot whose root cannot be loaded is removed.
/// The new snapshot is tagged "repaired" and names the first version in "original"; the damaged
/// snapshot stays unless Forget is set.
/// </summary>
public sealed class SnapshotRepairer
{
    private static readonly Tree s_emptyTree = new();

    private readonly Repository.Repository _repository;
    private readonly HashSet<Id> _intact = [];

    /// <param name="repository">An open repository with its index loaded.</param>
    public SnapshotRepairer(Repository.Repository repository)
    {
        _repository = repository;
    }

    public async Task<List<RepairedSnapshot>> RunAsync(SnapshotRepairOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var writer = options.DryRun ? null : new BlobWriter(_repository);
        var repaired = new List<RepairedSnapshot>();
        foreach (var (id, snapshot) in await SnapshotCatalog.LoadAllAsync(_repository, cancellationToken).ConfigureAwait(false))
        {
            var changes = new List<string>();
            Id? tree = await RewriteAsync(snapshot.Tree, "/", changes, writer, cancellationToken).ConfigureAwait(false);
            if (tree == snapshot.Tree)
            {
                continue;
            }

            if (tree is null)
            {
                changes.Add("dir \"/\": not readable; the snapshot is removed");
                if (!options.DryRun)
                {
                    await _repository.Backend.RemoveAsync(FileHandle.For(FileType.Snapshot, id), cancellationToken).ConfigureAwait(false);
                }

                repaired.Add(new RepairedSnapshot(id, null, !options.DryRun, changes));
                continue;
            }

            if (writer is null)
            {
                repaired.Add(new RepairedSnapshot(id, null, false, changes));
                continue;
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            var replacement = Snapshot.Parse(snapshot.ToJson());
            replacement.Tree = tree.Value;
            replacement.Original ??= id;
            replacement.Tags ??= [];
            if (!replacement.Tags.Contains("repaired"))
            {
                replacement.Tags.Add("repaired");
            }

            var newId = await SnapshotCatalog.SaveAsync(_repository, replacement, cancellationToken).ConfigureAwait(false);
            if (options.Forget)
            {
                await _repository.Backend.RemoveAsync(FileHandle.For(FileType.Snapshot, id), cancellationToken).ConfigureAwait(false);
            }

            repaired.Add(new RepairedSnapshot(id, newId, options.Forget, changes));
        }

        return repaired;
    }

    /// <summary>Returns the ID of the repaired tree (the same ID when nothing changed), or null when it cannot be loaded.</summary>
    private async Task<Id?> RewriteAsync(Id treeId, string path, List<string> changes, BlobWriter? writer, CancellationToken cancellationToken)
    {
        if (_intact.Contains(treeId))
        {
            return treeId;
        }

        Tree tree;
        try
        {
            tree = Tree.Parse(await _repository.LoadBlobAsync(new BlobHandle(treeId, BlobType.Tree), cancellationToken).ConfigureAwait(false));
        }
        catch (Exception error) when (error is DamagedDataException or InvalidDataException or IOException || _repository.Backend.IsNotFound(error))
        {
            return null;
        }

        bool changed = false;
        foreach (var node in tree.Nodes)
        {
            string nodePath = path == "/" ? "/" + node.Name : path + "/" + node.Name;
            if (node.Type == NodeType.File)
            {
                changed |= RepairFile(node, nodePath, changes);
            }
            else if (node.Type == NodeType.Dir)
            {
                Id? subtree = node.Subtree is Id old ? await RewriteAsync(old, nodePath, changes, writer, cancellationToken).ConfigureAwait(false) : null;
                if (subtree is null)
                {
                    changes.Add($"dir \"{nodePath}\": replaced with an empty directory");
                    subtree = await SaveAsync(s_emptyTree, writer, cancellationToken).ConfigureAwait(false);
                }

                if (subtree != node.Subtree)
                {
                    node.Subtree = subtree;
                    changed = true;
                }
            }
        }

        if (!changed)
        {
            _intact.Add(treeId);
            return treeId;
        }

        return await SaveAsync(tree, writer, cancellationToken).ConfigureAwait(false);
    }

    private bool RepairFile(Node node, string path, List<string> changes)
    {
        var content = new List<Id>();
        ulong size = 0;
        bool missing = false;
        foreach (var blob in node.Content ?? [])
        {
            if (_repository.Index.TryGet(new BlobHandle(blob, BlobType.Data), out var location))
            {
                content.Add(blob);
                size += location.PlaintextLength;
            }
            else
            {
                missing = true;
            }
        }

        if (missing)
        {
            changes.Add($"file \"{path}\": removed missing content");
        }
        else if (size != node.Size)
        {
            changes.Add($"file \"{path}\": fixed incorrect size");
        }
        else
        {
            return false;
        }

        node.Content = content;
        node.Size = size;
        return true;
    }

    private static async Task<Id> SaveAsync(Tree tree, BlobWriter? writer, CancellationToken cancellationToken)
    {
        byte[] json = tree.ToJson();
        var id = Id.Hash(json);
        if (writer is not null)
        {
            await writer.SaveBlobAsync(BlobType.Tree, id, json, cancellationToken).ConfigureAwait(false);
        }

        return id;
    }
}
