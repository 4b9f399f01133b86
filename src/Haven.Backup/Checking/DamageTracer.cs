// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Trees;

namespace Haven.Backup.Checking;

/// <summary>
/// Finds the snapshot paths behind lost blobs. It walks each snapshot again, but descends only into
/// trees the structure walk flagged as affected, so an undamaged repository costs nothing here.
/// </summary>
internal sealed class DamageTracer
{
    private readonly StructureWalker _walker;
    private readonly Dictionary<BlobHandle, List<string>> _affected = [];

    public DamageTracer(StructureWalker walker)
    {
        _walker = walker;
    }

    public IReadOnlyDictionary<BlobHandle, List<string>> Affected => _affected;

    public async Task TraceAsync(Id snapshotId, Id root, CancellationToken cancellationToken)
    {
        if (!_walker.IsAffected(root))
        {
            return;
        }

        string prefix = snapshotId.ToShortString() + ":";
        if (_walker.BrokenTrees.Contains(root))
        {
            Add(new BlobHandle(root, BlobType.Tree), prefix + "/");
            return;
        }

        await TraceTreeAsync(root, prefix, cancellationToken).ConfigureAwait(false);
    }

    private async Task TraceTreeAsync(Id treeId, string path, CancellationToken cancellationToken)
    {
        Tree? tree = await _walker.LoadAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree?.Nodes ?? [])
        {
            string nodePath = path.EndsWith('/') ? path + node.Name : path + "/" + node.Name;
            if (node.Type == NodeType.File)
            {
                foreach (var content in node.Content ?? [])
                {
                    if (_walker.LostData.Contains(content))
                    {
                        Add(new BlobHandle(content, BlobType.Data), nodePath);
                    }
                }
            }
            else if (node.Type == NodeType.Dir && node.Subtree is Id subtree && _walker.IsAffected(subtree))
            {
                if (_walker.BrokenTrees.Contains(subtree))
                {
                    Add(new BlobHandle(subtree, BlobType.Tree), nodePath + "/");
                }
                else
                {
                    await TraceTreeAsync(subtree, nodePath, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private void Add(BlobHandle handle, string path)
    {
        if (!_affected.TryGetValue(handle, out var paths))
        {
            _affected[handle] = paths = [];
        }

        if (paths.Count == 0 || paths[^1] != path)
        {
            paths.Add(path);
        }
    }
}
