// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Format.Trees;
using Haven.Repository;
using Haven.Repository.Errors;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// A cluster's WAL archive as it stands in the repository: the union of its head snapshots
/// (tag pg-wal, path /postgres/wal/SYSID). Each push writes one new head holding everything the
/// heads it saw held plus the new file, so a reader takes the union and nothing is lost when two
/// pushes race; <see cref="WalArchiveCompactor"/> later removes superseded heads. The snapshot count
/// stays near one however many segments are archived, so listing snapshots stays cheap.
/// </summary>
public sealed class WalArchive
{
    private readonly Repository.Repository _repository;
    private readonly Dictionary<string, List<Id>> _folders;

    private WalArchive(Repository.Repository repository, ulong systemId, List<Id> heads, Dictionary<string, List<Id>> folders)
    {
        _repository = repository;
        SystemId = systemId;
        Heads = heads;
        _folders = folders;
    }

    public ulong SystemId { get; }

    /// <summary>The snapshots whose union is the archive.</summary>
    public IReadOnlyList<Id> Heads { get; }

    public IEnumerable<string> Folders => _folders.Keys.Order(StringComparer.Ordinal);

    /// <summary>Reads the heads of <paramref name="systemId"/>'s archive; the repository's index must be loaded.</summary>
    public static async Task<WalArchive> OpenAsync(Repository.Repository repository, ulong systemId, CancellationToken cancellationToken)
    {
        string root = PhysicalLayout.WalRoot(systemId);
        var heads = new List<Id>();
        var folders = new Dictionary<string, List<Id>>(StringComparer.Ordinal);
        foreach (var (id, snapshot) in await LoadTaggedAsync(repository, PhysicalLayout.WalTag, cancellationToken).ConfigureAwait(false))
        {
            if (snapshot.Paths is not [var path] || path != root)
            {
                continue;
            }

            heads.Add(id);
            var archiveTree = await LoadTreeAsync(repository, await FindSubtreeAsync(repository, snapshot.Tree, root, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            foreach (var folder in archiveTree.Nodes.Where(node => node is { Type: NodeType.Dir, Subtree: not null }))
            {
                if (!folders.TryGetValue(folder.Name, out var subtrees))
                {
                    folders[folder.Name] = subtrees = [];
                }

                if (!subtrees.Contains(folder.Subtree!.Value))
                {
                    subtrees.Add(folder.Subtree.Value);
                }
            }
        }

        return new WalArchive(repository, systemId, heads, folders);
    }

    /// <summary>The archived file named <paramref name="name"/>, or null.</summary>
    public async Task<WalEntry?> FindAsync(WalFileName name, CancellationToken cancellationToken)
    {
        var nodes = await FolderNodesAsync(name.Folder, cancellationToken).ConfigureAwait(false);
        return nodes.TryGetValue(name.Name, out var node) ? EntryOf(node) : null;
    }

    /// <summary>Every archived file, in name order (so segments in WAL order per timeline).</summary>
    public async Task<List<WalEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<WalEntry>();
        foreach (string folder in Folders)
        {
            foreach (var node in (await FolderNodesAsync(folder, cancellationToken).ConfigureAwait(false)).Values)
            {
                if (EntryOf(node) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// Stores the trees of a new head: the union of all heads plus <paramref name="added"/> (if any)
    /// in its folder. Returns the root tree's ID; the caller flushes the writer, then saves the snapshot.
    /// </summary>
    public async Task<Id> WriteMergedTreeAsync(IBlobWriter writer, Node? added, string? addedFolder, ProcessIdentity identity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var archive = new Tree();
        var folderNames = Folders.ToList();
        if (addedFolder is not null && !folderNames.Contains(addedFolder))
        {
            folderNames.Add(addedFolder);
            folderNames.Sort(StringComparer.Ordinal);
        }

        foreach (string folder in folderNames)
        {
            Id subtree;
            if (folder != addedFolder && _folders[folder] is [var single])
            {
                subtree = single;
            }
            else
            {
                var nodes = await FolderNodesAsync(folder, cancellationToken).ConfigureAwait(false);
                if (folder == addedFolder && added is not null)
                {
                    nodes[added.Name] = added;
                }

                subtree = await SaveTreeAsync(writer, new Tree { Nodes = [.. nodes.Values] }, cancellationToken).ConfigureAwait(false);
            }

            archive.Nodes.Add(DirectoryNode(folder, subtree, identity, now));
        }

        var id = await SaveTreeAsync(writer, archive, cancellationToken).ConfigureAwait(false);
        string[] parts = PhysicalLayout.WalRoot(SystemId).Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            id = await SaveTreeAsync(writer, new Tree { Nodes = [DirectoryNode(parts[i], id, identity, now)] }, cancellationToken).ConfigureAwait(false);
        }

        return id;
    }

    /// <summary>A head snapshot for a root tree written by <see cref="WriteMergedTreeAsync"/>.</summary>
    public Snapshot HeadSnapshot(Id tree, ProcessIdentity identity, DateTimeOffset now, string programVersion) => new()
    {
        Time = Format.Json.GoTimestamp.FromDateTimeOffset(now),
        Tree = tree,
        Paths = [PhysicalLayout.WalRoot(SystemId)],
        Hostname = identity.Hostname,
        Username = identity.Username,
        Uid = identity.Uid,
        Gid = identity.Gid,
        Tags = [PhysicalLayout.WalTag],
        ProgramVersion = programVersion,
    };

    /// <summary>Snapshots carrying <paramref name="tag"/>; a snapshot removed while listing (a superseded head) is skipped.</summary>
    internal static async Task<List<(Id Id, Snapshot Snapshot)>> LoadTaggedAsync(Repository.Repository repository, string tag, CancellationToken cancellationToken)
    {
        var found = new List<(Id, Snapshot)>();
        foreach (var id in await repository.ListIdsAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var snapshot = await Repository.Snapshots.SnapshotCatalog.LoadAsync(repository, id, cancellationToken).ConfigureAwait(false);
                if (snapshot.Tags?.Contains(tag) == true)
                {
                    found.Add((id, snapshot));
                }
            }
            catch (Exception error) when (repository.Backend.IsNotFound(error))
            {
                // Removed by a compaction after the listing; a newer head holds what it held.
            }
        }

        found.Sort((a, b) => a.Item2.Time.ToDateTimeOffset().CompareTo(b.Item2.Time.ToDateTimeOffset()));
        return found;
    }

    internal static async Task<Id> FindSubtreeAsync(Repository.Repository repository, Id root, string path, CancellationToken cancellationToken)
    {
        var id = root;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var node = (await LoadTreeAsync(repository, id, cancellationToken).ConfigureAwait(false)).Find(part);
            id = node is { Type: NodeType.Dir, Subtree: Id subtree } ? subtree : throw new DamagedDataException($"tree {root} has no folder {path}: the snapshot is not a Haven PostgreSQL snapshot");
        }

        return id;
    }

    internal static async Task<Tree> LoadTreeAsync(Repository.Repository repository, Id id, CancellationToken cancellationToken) =>
        Tree.Parse(await repository.LoadBlobAsync(new BlobHandle(id, BlobType.Tree), cancellationToken).ConfigureAwait(false));

    private async Task<SortedDictionary<string, Node>> FolderNodesAsync(string folder, CancellationToken cancellationToken)
    {
        var nodes = new SortedDictionary<string, Node>(StringComparer.Ordinal);
        foreach (var subtree in _folders.GetValueOrDefault(folder) ?? [])
        {
            foreach (var node in (await LoadTreeAsync(_repository, subtree, cancellationToken).ConfigureAwait(false)).Nodes)
            {
                nodes.TryAdd(node.Name, node);
            }
        }

        return nodes;
    }

    private static WalEntry? EntryOf(Node node) =>
        node.Type == NodeType.File && WalFileName.TryParse(node.Name, out var name)
            ? new WalEntry(name, (long)node.Size, node.ModTime.ToDateTimeOffset(), node.ChangeTime.ToDateTimeOffset(), node.Content ?? [])
            : null;

    private static async Task<Id> SaveTreeAsync(IBlobWriter writer, Tree tree, CancellationToken cancellationToken)
    {
        byte[] json = tree.ToJson();
        var id = Id.Hash(json);
        await writer.SaveBlobAsync(BlobType.Tree, id, json, cancellationToken).ConfigureAwait(false);
        return id;
    }

    private static Node DirectoryNode(string name, Id subtree, ProcessIdentity identity, DateTimeOffset now)
    {
        var time = Format.Json.GoTimestamp.FromDateTimeOffset(now);
        return new Node
        {
            Name = name,
            Type = NodeType.Dir,
            Mode = FileModes.Dir | 0x1C0,
            ModTime = time,
            AccessTime = time,
            ChangeTime = time,
            Uid = identity.Uid,
            Gid = identity.Gid,
            User = identity.Username,
            Subtree = subtree,
        };
    }
}
