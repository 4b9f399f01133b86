// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.CompilerServices;
using Haven.Backup.Restoring;
using Haven.Format;
using Haven.Format.Trees;
using Haven.Repository.Errors;

namespace Haven.Backup.Browsing;

/// <summary>Reads a snapshot's trees for ls, dump and cat: finds a path, or walks everything below one, depth-first in name order.</summary>
public sealed class SnapshotBrowser
{
    private readonly TreeLoader _trees;

    public SnapshotBrowser(Repository.Repository repository)
    {
        _trees = new TreeLoader(repository);
    }

    public Task<Tree> LoadTreeAsync(Id id, CancellationToken cancellationToken) => _trees.LoadAsync(id, cancellationToken);

    /// <summary>The node at <paramref name="path"/> ("/a/b"), or null for the root itself; throws when the path is not in the snapshot.</summary>
    public async Task<Node?> FindAsync(Id root, string path, CancellationToken cancellationToken)
    {
        Node? node = null;
        var tree = await _trees.LoadAsync(root, cancellationToken).ConfigureAwait(false);
        string walked = string.Empty;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not null)
            {
                if (node.Type != NodeType.Dir || node.Subtree is not Id subtree)
                {
                    throw new SnapshotNotFoundException($"'{walked}' in the snapshot is not a folder, so it has no '{part}'");
                }

                tree = await _trees.LoadAsync(subtree, cancellationToken).ConfigureAwait(false);
            }

            walked += "/" + part;
            node = tree.Find(part) ?? throw new SnapshotNotFoundException($"the snapshot has no '{walked}'");
        }

        return node;
    }

    /// <summary>Every entry below the tree <paramref name="treeId"/>, with paths under <paramref name="basePath"/>.</summary>
    public async IAsyncEnumerable<(string Path, Node Node)> WalkAsync(Id treeId, string basePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tree = await _trees.LoadAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            string path = basePath == "/" ? "/" + node.Name : basePath + "/" + node.Name;
            yield return (path, node);
            if (node is { Type: NodeType.Dir, Subtree: Id subtree })
            {
                await foreach (var child in WalkAsync(subtree, path, cancellationToken).ConfigureAwait(false))
                {
                    yield return child;
                }
            }
        }
    }
}
