// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Trees;

namespace Haven.Backup.Archiving;

/// <summary>
/// Finds the parent tree's node of each name when the names come in the tree's own order (raw
/// bytes): one merge through the parent's nodes instead of a binary search, with its byte
/// conversions, per name. A parent tree out of order only misses matches (those files are read again).
/// </summary>
internal sealed class ParentTreeCursor
{
    private readonly List<Node> _nodes;
    private int _next;

    public ParentTreeCursor(Tree? tree) => _nodes = tree?.Nodes ?? [];

    /// <summary>The node named <paramref name="name"/>, or null; names must be asked in increasing order.</summary>
    public Node? Find(string name)
    {
        while (_next < _nodes.Count)
        {
            var node = _nodes[_next];
            if (string.Equals(node.Name, name, StringComparison.Ordinal))
            {
                _next++;
                return node;
            }

            if (RawNameComparer.Instance.Compare(node.Name, name) > 0)
            {
                return null;
            }

            _next++;
        }

        return null;
    }
}
