// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.CompilerServices;
using Haven.Backup.Filtering;
using Haven.Backup.Restoring;
using Haven.Format;
using Haven.Format.Trees;

namespace Haven.Backup.Browsing;

/// <summary>
/// Finds the entries of a snapshot that match any of a set of patterns, with restic's find
/// semantics: a pattern that matches a folder matches everything below it too, and folders that
/// no pattern can reach are not read.
/// </summary>
public sealed class SnapshotFinder
{
    private readonly TreeLoader _trees;
    private readonly PathFilter _patterns;

    public SnapshotFinder(Repository.Repository repository, PathFilter patterns)
    {
        _trees = new TreeLoader(repository);
        _patterns = patterns;
    }

    /// <summary>The matching entries below the tree <paramref name="root"/>, depth-first in name order.</summary>
    public IAsyncEnumerable<(string Path, Node Node)> FindAsync(Id root, CancellationToken cancellationToken) =>
        WalkAsync(root, string.Empty, parentMatched: false, cancellationToken);

    private async IAsyncEnumerable<(string Path, Node Node)> WalkAsync(Id treeId, string prefix, bool parentMatched, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tree = await _trees.LoadAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            string path = prefix + "/" + node.Name;
            bool matched = parentMatched || _patterns.Matches(path);
            if (matched)
            {
                yield return (path, node);
            }

            if (node is { Type: NodeType.Dir, Subtree: Id subtree } && (matched || _patterns.MayMatchBelow(path)))
            {
                await foreach (var child in WalkAsync(subtree, path, matched, cancellationToken).ConfigureAwait(false))
                {
                    yield return child;
                }
            }
        }
    }
}
