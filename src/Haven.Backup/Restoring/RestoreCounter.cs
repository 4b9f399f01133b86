// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Trees;

namespace Haven.Backup.Restoring;

/// <summary>Counts what a restore will write, before it starts, so progress can show an ETA.</summary>
internal sealed class RestoreCounter
{
    private readonly TreeLoader _trees;
    private readonly RestoreSelection _selection;

    public RestoreCounter(TreeLoader trees, RestoreSelection selection)
    {
        _trees = trees;
        _selection = selection;
    }

    public async Task<(long Files, long Bytes)> CountAsync(Tree root, string basePath, CancellationToken cancellationToken)
    {
        long files = 0;
        long bytes = 0;
        var pending = new Stack<(Tree Tree, string Path, bool Selected)>();
        pending.Push((root, basePath, false));
        while (pending.Count > 0)
        {
            var (tree, path, selected) = pending.Pop();
            foreach (var node in tree.Nodes)
            {
                string nodePath = path == "/" ? "/" + node.Name : path + "/" + node.Name;
                var decision = _selection.Decide(nodePath, node.Type == NodeType.Dir, selected);
                if (decision == RestoreDecision.Skip || !SafeName.IsValid(node.Name))
                {
                    continue;
                }

                if (node is { Type: NodeType.Dir, Subtree: { } subtree })
                {
                    try
                    {
                        pending.Push((await _trees.LoadAsync(subtree, cancellationToken).ConfigureAwait(false), nodePath, decision == RestoreDecision.Restore));
                    }
                    catch (Repository.Errors.DamagedDataException)
                    {
                        // Counted as nothing here; the restore itself reports the damage.
                    }
                }
                else if (node.Type != NodeType.Dir)
                {
                    files++;
                    bytes += node.Type == NodeType.File ? (long)node.Size : 0;
                }
            }
        }

        return (files, bytes);
    }
}
