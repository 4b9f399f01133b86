// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;
using Haven.Backup.Restoring;
using Haven.Format;
using Haven.Format.Trees;

namespace Haven.Backup.Browsing;

/// <summary>
/// Compares two trees as restic's diff does: both are walked side by side in name order, a
/// subtree with the same ID on both sides is not compared (only its blobs are noted), and each
/// change is reported as soon as it is found. Blob counts and bytes cover the blobs only one side uses.
/// </summary>
public sealed class SnapshotDiff
{
    private readonly Repository.Repository _repository;
    private readonly TreeLoader _trees;
    private readonly bool _metadata;
    private readonly Action<DiffChange> _onChange;
    private readonly HashSet<BlobHandle> _before = [];
    private readonly HashSet<BlobHandle> _after = [];
    private readonly HashSet<BlobHandle> _common = [];
    private readonly DiffCounts _added = new();
    private readonly DiffCounts _removed = new();
    private int _changedFiles;

    /// <param name="metadata">Also report entries whose metadata alone changed ("U").</param>
    /// <param name="onChange">Called for each change, in walk order.</param>
    public SnapshotDiff(Repository.Repository repository, bool metadata, Action<DiffChange> onChange)
    {
        _repository = repository;
        _trees = new TreeLoader(repository);
        _metadata = metadata;
        _onChange = onChange;
    }

    public async Task<DiffSummary> CompareAsync(Id before, Id after, CancellationToken cancellationToken)
    {
        _before.Add(new BlobHandle(before, BlobType.Tree));
        _after.Add(new BlobHandle(after, BlobType.Tree));
        await CompareTreesAsync("/", before, after, cancellationToken).ConfigureAwait(false);
        var both = new HashSet<BlobHandle>(_before);
        both.IntersectWith(_after);
        CountBlobs(_before, both, _removed);
        CountBlobs(_after, both, _added);
        return new DiffSummary(_changedFiles, _added, _removed);
    }

    private async Task CompareTreesAsync(string prefix, Id before, Id after, CancellationToken cancellationToken)
    {
        var left = (await _trees.LoadAsync(before, cancellationToken).ConfigureAwait(false)).Nodes;
        var right = (await _trees.LoadAsync(after, cancellationToken).ConfigureAwait(false)).Nodes;
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int order = i == left.Count ? 1 : j == right.Count ? -1 : RawNameComparer.Instance.Compare(left[i].Name, right[j].Name);
            Node? one = order <= 0 ? left[i++] : null;
            Node? two = order >= 0 ? right[j++] : null;
            AddBlobs(_before, one);
            AddBlobs(_after, two);
            if (one is not null && two is not null)
            {
                await CompareNodesAsync(Join(prefix, one.Name), one, two, cancellationToken).ConfigureAwait(false);
            }
            else if (one is not null)
            {
                await ReportSubtreeAsync(prefix, one, "-", _removed, _before, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReportSubtreeAsync(prefix, two!, "+", _added, _after, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CompareNodesAsync(string path, Node one, Node two, CancellationToken cancellationToken)
    {
        string modifier = one.Type != two.Type ? "T" : string.Empty;
        if (two.Type == NodeType.Dir)
        {
            path += "/";
        }

        if (one.Type == NodeType.File && two.Type == NodeType.File && !NodeEquality.SameContent(one, two))
        {
            modifier += "M";
            _changedFiles++;
        }
        else if (_metadata && !NodeEquality.Equals(one, two, compareContent: true))
        {
            modifier += "U";
        }

        if (modifier.Length > 0)
        {
            _onChange(new DiffChange(path, modifier));
        }

        if (one is { Type: NodeType.Dir, Subtree: Id left } && two is { Type: NodeType.Dir, Subtree: Id right })
        {
            if (left == right)
            {
                await CollectAsync(_common, left, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CompareTreesAsync(path, left, right, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reports a node that only one side has, and everything below it.</summary>
    private async Task ReportSubtreeAsync(string prefix, Node node, string modifier, DiffCounts counts, HashSet<BlobHandle> blobs, CancellationToken cancellationToken)
    {
        string path = Join(prefix, node.Name) + (node.Type == NodeType.Dir ? "/" : string.Empty);
        _onChange(new DiffChange(path, modifier));
        Count(counts, node);
        if (node is { Type: NodeType.Dir, Subtree: Id subtree })
        {
            foreach (var child in (await _trees.LoadAsync(subtree, cancellationToken).ConfigureAwait(false)).Nodes)
            {
                AddBlobs(blobs, child);
                await ReportSubtreeAsync(path, child, modifier, counts, blobs, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CollectAsync(HashSet<BlobHandle> blobs, Id treeId, CancellationToken cancellationToken)
    {
        foreach (var node in (await _trees.LoadAsync(treeId, cancellationToken).ConfigureAwait(false)).Nodes)
        {
            AddBlobs(blobs, node);
            if (node is { Type: NodeType.Dir, Subtree: Id subtree })
            {
                await CollectAsync(blobs, subtree, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void CountBlobs(HashSet<BlobHandle> side, HashSet<BlobHandle> both, DiffCounts counts)
    {
        foreach (var handle in side)
        {
            if (both.Contains(handle) || _common.Contains(handle))
            {
                continue;
            }

            if (handle.Type == BlobType.Data)
            {
                counts.DataBlobs++;
            }
            else
            {
                counts.TreeBlobs++;
            }

            if (_repository.Index.TryGet(handle, out var location))
            {
                counts.Bytes += location.PlaintextLength;
            }
        }
    }

    private static void AddBlobs(HashSet<BlobHandle> blobs, Node? node)
    {
        if (node is { Type: NodeType.File, Content: { } content })
        {
            foreach (var id in content)
            {
                blobs.Add(new BlobHandle(id, BlobType.Data));
            }
        }
        else if (node is { Type: NodeType.Dir, Subtree: Id subtree })
        {
            blobs.Add(new BlobHandle(subtree, BlobType.Tree));
        }
    }

    private static void Count(DiffCounts counts, Node node)
    {
        switch (node.Type)
        {
            case NodeType.File:
                counts.Files++;
                break;
            case NodeType.Dir:
                counts.Dirs++;
                break;
            default:
                counts.Others++;
                break;
        }
    }

    private static string Join(string prefix, string name) => prefix.TrimEnd('/') + "/" + name;
}
