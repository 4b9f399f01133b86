// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Archiving;

/// <summary>
/// The backup targets arranged as a tree of path components, so that "/srv/a" and "/home/b" become
/// one snapshot tree with "srv" and "home" at the top. A target below another target is covered by it.
/// </summary>
internal sealed class TargetTree
{
    public SortedDictionary<string, TargetTree> Children { get; } = new(RawNameComparer.Instance);

    /// <summary>True when this component is itself a target and everything below it is backed up.</summary>
    public bool IsTarget { get; private set; }

    public static TargetTree Build(IEnumerable<string> absolutePaths)
    {
        var root = new TargetTree();
        foreach (string path in absolutePaths)
        {
            var node = root;
            foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (node.IsTarget)
                {
                    break;
                }

                if (!node.Children.TryGetValue(part, out var child))
                {
                    child = new TargetTree();
                    node.Children.Add(part, child);
                }

                node = child;
            }

            node.IsTarget = true;
            node.Children.Clear();
        }

        return root;
    }
}
