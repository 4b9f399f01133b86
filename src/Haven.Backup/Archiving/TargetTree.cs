// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Archiving;

/// <summary>
/// The backup targets arranged as a tree of path components, so that "/srv/a" and "/home/b" become
/// one snapshot tree with "srv" and "home" at the top. A target below another target is covered by it.
/// Stream sources are leaves of their own; a directory that leads only to streams is made up.
/// </summary>
internal sealed class TargetTree
{
    public SortedDictionary<string, TargetTree> Children { get; } = new(RawNameComparer.Instance);

    /// <summary>True when this component is itself a target and everything below it is backed up.</summary>
    public bool IsTarget { get; private set; }

    /// <summary>The produced content stored at this path, for a stream target.</summary>
    public StreamSource? Stream { get; private set; }

    /// <summary>True for a directory that is not on disk: every target below it is a stream.</summary>
    public bool IsSynthetic => !IsTarget && Children.Count > 0 && Children.Values.All(child => child.Stream is not null || child.IsSynthetic);

    public static TargetTree Build(IEnumerable<string> absolutePaths) => Build(absolutePaths, []);

    public static TargetTree Build(IEnumerable<string> absolutePaths, IEnumerable<StreamSource> streams)
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

        foreach (var stream in streams)
        {
            StreamSource.Validate(stream.SnapshotPath);
            var node = root;
            foreach (string part in stream.SnapshotPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (node.IsTarget)
                {
                    throw new ArgumentException($"'{stream.SnapshotPath}' lies inside a path that is backed up from disk or another stream; choose another name");
                }

                if (!node.Children.TryGetValue(part, out var child))
                {
                    child = new TargetTree();
                    node.Children.Add(part, child);
                }

                node = child;
            }

            if (node.IsTarget || node.Children.Count > 0)
            {
                throw new ArgumentException($"'{stream.SnapshotPath}' is given twice, or is a directory of other backed-up paths; choose another name");
            }

            node.IsTarget = true;
            node.Stream = stream;
        }

        return root;
    }
}
