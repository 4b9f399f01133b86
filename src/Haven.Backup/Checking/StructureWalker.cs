// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Trees;
using Haven.Repository.Errors;

namespace Haven.Backup.Checking;

/// <summary>
/// Walks every tree reachable from the snapshots once, depth first, holding only the trees on the
/// current path plus one flag per visited tree ID (does anything below it lose content). Reports
/// trees that cannot be loaded or decoded and blobs that are not in the index.
/// </summary>
internal sealed class StructureWalker
{
    private readonly Repository.Repository _repository;
    private readonly IReadOnlySet<BlobHandle> _damaged;
    private readonly List<CheckProblem> _problems;
    private readonly Dictionary<Id, bool> _visited = [];
    private readonly HashSet<BlobHandle> _reported = [];

    public StructureWalker(Repository.Repository repository, IReadOnlySet<BlobHandle> damaged, List<CheckProblem> problems)
    {
        _repository = repository;
        _damaged = damaged;
        _problems = problems;
    }

    /// <summary>Trees that could not be loaded, whatever the reason.</summary>
    public HashSet<Id> BrokenTrees { get; } = [];

    /// <summary>Data blobs that a file names but that are missing or damaged.</summary>
    public HashSet<Id> LostData { get; } = [];

    public int TreesVisited => _visited.Count;

    /// <summary>True when the tree or anything below it has lost content.</summary>
    public bool IsAffected(Id tree) => _visited.TryGetValue(tree, out bool affected) && affected;

    public async Task<bool> VisitAsync(Id treeId, CancellationToken cancellationToken)
    {
        if (_visited.TryGetValue(treeId, out bool known))
        {
            return known;
        }

        _visited[treeId] = true; // a tree that contains itself is damage too
        var tree = await LoadAsync(treeId, cancellationToken).ConfigureAwait(false);
        bool affected = tree is null;
        foreach (var node in tree?.Nodes ?? [])
        {
            if (node.Type == NodeType.File)
            {
                foreach (var content in node.Content ?? [])
                {
                    if (!IsPresent(new BlobHandle(content, BlobType.Data)))
                    {
                        LostData.Add(content);
                        affected = true;
                    }
                }
            }
            else if (node.Type == NodeType.Dir)
            {
                if (node.Subtree is not Id subtree)
                {
                    _problems.Add(new CheckProblem(CheckProblemKind.DamagedTree, $"tree {treeId}: folder \"{node.Name}\" has no subtree") { Blobs = [new BlobHandle(treeId, BlobType.Tree)] });
                    affected = true;
                }
                else
                {
                    affected |= await VisitAsync(subtree, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        _visited[treeId] = affected;
        return affected;
    }

    /// <summary>Loads a tree for the damage trace, which only revisits trees that loaded before.</summary>
    public async Task<Tree?> LoadAsync(Id treeId, CancellationToken cancellationToken)
    {
        var handle = new BlobHandle(treeId, BlobType.Tree);
        if (!IsPresent(handle))
        {
            BrokenTrees.Add(treeId);
            return null;
        }

        try
        {
            return Tree.Parse(await _repository.LoadBlobAsync(handle, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception error) when (error is DamagedDataException or InvalidDataException or IOException || _repository.Backend.IsNotFound(error))
        {
            BrokenTrees.Add(treeId);
            if (!_damaged.Contains(handle) && _reported.Add(handle))
            {
                _problems.Add(new CheckProblem(CheckProblemKind.DamagedTree, $"tree {treeId} cannot be loaded: {error.Message}") { Blobs = [handle] });
            }

            return null;
        }
    }

    private bool IsPresent(BlobHandle handle)
    {
        if (_damaged.Contains(handle))
        {
            return false;
        }

        if (_repository.Index.Contains(handle))
        {
            return true;
        }

        if (_reported.Add(handle))
        {
            var other = handle with { Type = handle.Type == BlobType.Tree ? BlobType.Data : BlobType.Tree };
            string why = _repository.Index.Contains(other) ? $"is indexed as a {(other.Type == BlobType.Tree ? "tree" : "data")} blob only" : "is not in the index";
            _problems.Add(new CheckProblem(CheckProblemKind.MissingBlob, $"{PackVerifier.BlobName(handle)} {why}") { Blobs = [handle] });
        }

        return false;
    }
}
