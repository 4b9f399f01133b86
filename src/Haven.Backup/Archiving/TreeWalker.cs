// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Backup.FileSystem;
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Format.Diagnostics;
using Haven.Format.Json;
using Haven.Format.Trees;
using Haven.Repository;
using Haven.Repository.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Archiving;

/// <summary>
/// Walks the source depth-first, one directory at a time, while up to ReadConcurrency files are read
/// and chunked on worker tasks. Each directory's tree blob is stored once all its children are done.
/// The parent snapshot's tree is walked alongside, so unchanged files are taken over without reading.
/// </summary>
internal sealed class TreeWalker
{
    private readonly IBlobWriter _writer;
    private readonly LocalFileSystem _fileSystem;
    private readonly NodeFactory _nodes;
    private readonly BackupOptions _options;
    private readonly BackupStatus _status;
    private readonly FileContentSaver _contentSaver;
    private readonly ConsistentFileSaver? _consistentSaver;
    private readonly SemaphoreSlim _fileSlots;
    private readonly ConcurrentQueue<BackupWarning> _warnings;
    private readonly Action<BackupWarning>? _onWarning;
    private readonly TimeProvider _time;
    private readonly ProcessIdentity _identity;
    private readonly CancellationToken _cancellationToken;

    // True when the parent's trees are known to be encoded as this build encodes them (see Archiver).
    private readonly bool _reuseParentTrees;

    // Time summed over every call (they overlap, so these are CPU-ish totals, not wall time);
    // measured only with HAVEN_TIMINGS=1.
    private long _parentTreeTicks;
    private long _treeSaveTicks;

    // Parent trees of the folders below the one being walked, loading on other threads.
    private readonly ConcurrentDictionary<Id, Task<Tree?>> _previousTreesAhead = new();

    public TreeWalker(
        IBlobWriter writer,
        LocalFileSystem fileSystem,
        NodeFactory nodes,
        BackupOptions options,
        BackupStatus status,
        BlobSaverPool savers,
        Polynomial polynomial,
        ConcurrentQueue<BackupWarning> warnings,
        Action<BackupWarning>? onWarning,
        TimeProvider time,
        ProcessIdentity identity,
        bool reuseParentTrees,
        Task lockSettled,
        CancellationToken cancellationToken)
    {
        _reuseParentTrees = reuseParentTrees;
        _writer = writer;
        _fileSystem = fileSystem;
        _nodes = nodes;
        _options = options;
        _status = status;
        _contentSaver = new FileContentSaver(polynomial, savers, status);
        _consistentSaver = options.ConsistentSource is { } source ? new ConsistentFileSaver(source, _contentSaver, Warn, lockSettled) : null;
        _fileSlots = new SemaphoreSlim(options.ReadConcurrency);
        _warnings = warnings;
        _onWarning = onWarning;
        _time = time;
        _identity = identity;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Records the summed time of parent-tree loading and tree encoding (HAVEN_TIMINGS=1).</summary>
    public void RecordTimings()
    {
        PhaseTimings.Record("backup: parent trees loaded and parsed (sum)", TimeSpan.FromTicks(Interlocked.Read(ref _parentTreeTicks)));
        PhaseTimings.Record("backup: trees encoded, hashed and saved (sum)", TimeSpan.FromTicks(Interlocked.Read(ref _treeSaveTicks)));
    }

    /// <summary>Archives the targets below <paramref name="targets"/> and returns the root tree's ID.</summary>
    public async Task<Id> ArchiveRootAsync(TargetTree targets, Tree? previousRoot, Id? previousRootId)
    {
        return await ArchiveVirtualAsync(targets, "/", previousRoot, previousRootId).ConfigureAwait(false);
    }

    private async Task<Id> ArchiveVirtualAsync(TargetTree level, string path, Tree? previous, Id? previousId)
    {
        var children = new List<Task<Node?>>();
        foreach (var (name, child) in level.Children)
        {
            string childPath = Join(path, name);
            var previousChild = previous?.Find(name);
            if (child.Stream is { } stream)
            {
                children.Add(Task.Run(() => ArchiveStreamAsync(childPath, stream), _cancellationToken));
                continue;
            }

            if (child.IsSynthetic)
            {
                var directory = MadeUpNode(name, NodeType.Dir, FileModes.Dir | 0x1ED);
                directory.Subtree = await ArchiveVirtualAsync(child, childPath, await LoadPreviousTreeAsync(previousChild).ConfigureAwait(false), previousChild?.Subtree).ConfigureAwait(false);
                children.Add(Task.FromResult<Node?>(directory));
                continue;
            }

            if (child.IsTarget)
            {
                string accessPath = _options.AccessPathOf(childPath, childPath);
                var outcome = _consistentSaver?.HasCompanionsOnDisk(accessPath, Exists) == true ? CompanionGroups.NewOutcome() : null;
                children.Add(await ArchiveEntryAsync(childPath, accessPath, name, previousChild, rootDevice: null, outcome).ConfigureAwait(false));
                continue;
            }

            var status = Stat(childPath, childPath);
            if (status is null)
            {
                continue;
            }

            var node = _nodes.Create(name, childPath, status.Value);
            var previousTree = await LoadPreviousTreeAsync(previousChild).ConfigureAwait(false);
            node.Subtree = await ArchiveVirtualAsync(child, childPath, previousTree, previousChild?.Subtree).ConfigureAwait(false);
            children.Add(Task.FromResult<Node?>(node));
        }

        return await SaveTreeAsync(children, previous, previousId).ConfigureAwait(false);
    }

    /// <summary>
    /// Archives one entry. <paramref name="companionsOutcome"/>, given when companions accompany the
    /// entry, is always completed: true only when a consistent copy of it was stored.
    /// </summary>
    private async Task<Task<Node?>> ArchiveEntryAsync(string path, string accessPath, string name, Node? previous, ulong? rootDevice, TaskCompletionSource<bool>? companionsOutcome = null)
    {
        bool handedToFile = false;
        try
        {
            var task = await ArchiveEntryCoreAsync(path, accessPath, name, previous, rootDevice, companionsOutcome).ConfigureAwait(false);
            handedToFile = task is { IsCompleted: false };
            return task;
        }
        finally
        {
            if (!handedToFile)
            {
                companionsOutcome?.TrySetResult(false);
            }
        }
    }

    private async Task<Task<Node?>> ArchiveEntryCoreAsync(string path, string accessPath, string name, Node? previous, ulong? rootDevice, TaskCompletionSource<bool>? companionsOutcome)
    {
        var status = Stat(path, accessPath);
        if (status is null)
        {
            return Task.FromResult<Node?>(null);
        }

        if (rootDevice is ulong device && _options.OneFileSystem && status.Value.Device != device)
        {
            return Task.FromResult<Node?>(null);
        }

        Node node;
        long started = StageClock.Start();
        try
        {
            node = _nodes.Create(name, accessPath, status.Value);
        }
        catch (FileSystemException error)
        {
            Warn(path, error);
            return Task.FromResult<Node?>(null);
        }

        StageClock.Stop(Stage.Walk, started);
        switch (node.Type)
        {
            case NodeType.Dir:
                await ArchiveDirectoryAsync(path, accessPath, node, previous, rootDevice ?? status.Value.Device).ConfigureAwait(false);
                return Task.FromResult<Node?>(node);
            case NodeType.File when companionsOutcome is null && !_options.Force && IsUnchanged(node, previous):
                // Nothing to read: taken over from the parent here, without a hand-off to a worker.
                // (A database with -wal/-shm companions can change through them alone, so it never takes this path.)
                _status.StartFile(path);
                node.Content = previous!.Content;
                _status.CompleteFile(path, FileChange.Unmodified, (long)node.Size, (long)node.Size);
                return Task.FromResult<Node?>(node);
            case NodeType.File:
                await _fileSlots.WaitAsync(_cancellationToken).ConfigureAwait(false);
                return Task.Run(() => ArchiveFileAsync(path, accessPath, node, previous, companionsOutcome), _cancellationToken);
            default:
                return Task.FromResult<Node?>(node);
        }
    }

    private async Task ArchiveDirectoryAsync(string path, string accessPath, Node node, Node? previous, ulong rootDevice)
    {
        var previousTree = await LoadPreviousTreeAsync(previous).ConfigureAwait(false);
        LoadPreviousSubtreesAhead(previousTree);
        List<string> names;
        DirectoryAccess access;
        long started = StageClock.Start();
        try
        {
            names = _fileSystem.ReadDirectory(accessPath);
            access = DirectoryAccess.Open(_fileSystem, path, accessPath);
            StageClock.Stop(Stage.Walk, started);
        }
        catch (FileSystemException error)
        {
            Warn(path, error);
            names = [];
            access = DirectoryAccess.Open(_fileSystem, "/", "/");
        }

        using var _ = access;

        names.RemoveAll(name => _options.Excludes.Matches(Join(path, name)));
        names.Sort(RawNameComparer.Instance);

        var companions = CompanionGroups.Find(_options.ConsistentSource, names);
        var children = new List<Task<Node?>>(names.Count);
        var previousNodes = new ParentTreeCursor(previousTree);
        foreach (string name in names)
        {
            string childPath = Join(path, name);
            var previousChild = previousNodes.Find(name);
            if (companions.BaseStoredConsistently(name) is { } baseStoredConsistently)
            {
                children.Add(ArchiveCompanionAsync(childPath, _options.AccessPathOf(childPath, access.Child(name)), name, previousChild, rootDevice, baseStoredConsistently));
                continue;
            }

            children.Add(await ArchiveEntryAsync(childPath, _options.AccessPathOf(childPath, access.Child(name)), name, previousChild, rootDevice, companions.OutcomeOf(name)).ConfigureAwait(false));
        }

        node.Subtree = await SaveTreeAsync(children, previousTree, previous?.Subtree).ConfigureAwait(false);
        _status.CompleteDirectory(previous?.Subtree is null ? FileChange.New : previous.Subtree == node.Subtree ? FileChange.Unmodified : FileChange.Changed);
    }

    /// <summary>A companion is stored only when the file it accompanies was stored as it is, not as a consistent copy.</summary>
    private async Task<Node?> ArchiveCompanionAsync(string path, string accessPath, string name, Node? previous, ulong rootDevice, Task<bool> baseStoredConsistently)
    {
        if (await baseStoredConsistently.ConfigureAwait(false))
        {
            return null;
        }

        return await (await ArchiveEntryAsync(path, accessPath, name, previous, rootDevice).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task<Node?> ArchiveFileAsync(string path, string accessPath, Node node, Node? previous, TaskCompletionSource<bool>? companionsOutcome)
    {
        bool storedConsistently = false;
        SafeFileHandle? file = null;
        try
        {
            _status.StartFile(path);

            // A claimed file with companions can change through them while its own size and times
            // stay the same, so the parent's word that it is unchanged does not count for it.
            bool? claimed = null;
            if (companionsOutcome is not null && _consistentSaver is not null)
            {
                file = _fileSystem.OpenRead(accessPath);
                claimed = _consistentSaver.Claims(path, file);
            }

            if (claimed != true && !_options.Force && IsUnchanged(node, previous))
            {
                node.Content = previous!.Content;
                _status.CompleteFile(path, FileChange.Unmodified, (long)node.Size, (long)node.Size);
                return node;
            }

            long started = StageClock.Start();
            file ??= _fileSystem.OpenRead(accessPath);
            StageClock.Stop(Stage.Read, started);
            claimed ??= _consistentSaver?.Claims(path, file) == true;
            var saved = claimed.Value ? await _consistentSaver!.TrySaveAsync(path, accessPath, _cancellationToken).ConfigureAwait(false) : null;
            storedConsistently = saved is not null;
            var (content, size) = saved ?? await _contentSaver.SaveAsync(file, (long)node.Size, _cancellationToken).ConfigureAwait(false);
            node.Content = content;
            node.Size = (ulong)size;
            var change = previous is null ? FileChange.New
                : storedConsistently && previous.Content is { } before && before.SequenceEqual(content) ? FileChange.Unmodified
                : FileChange.Changed;
            _status.CompleteFile(path, change, size, 0);
            return node;
        }
        catch (FileSystemException error)
        {
            Warn(path, error);
            return null;
        }
        catch (IOException error)
        {
            Warn(path, $"read {path}: {error.Message}");
            return null;
        }
        finally
        {
            file?.Dispose();
            companionsOutcome?.TrySetResult(storedConsistently);
            _fileSlots.Release();
        }
    }

    private bool Exists(string path)
    {
        try
        {
            _fileSystem.LinkStatus(path);
            return true;
        }
        catch (FileSystemException)
        {
            return false;
        }
    }

    private async Task<Node?> ArchiveStreamAsync(string path, StreamSource source)
    {
        _status.StartFile(path);
        var node = MadeUpNode(source.Name, NodeType.File, source.Permissions);
        var stream = await source.Open(_cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var (content, size) = await _contentSaver.SaveAsync(stream, _cancellationToken).ConfigureAwait(false);
            node.Content = content;
            node.Size = (ulong)size;
        }

        if (source.Complete is { } complete)
        {
            await complete(_cancellationToken).ConfigureAwait(false);
        }

        _status.CompleteFile(path, FileChange.New, (long)node.Size, 0);
        return node;
    }

    /// <summary>A node for something that is not on disk (a stream, or a directory that holds only streams), owned by this process's user and stamped now.</summary>
    private Node MadeUpNode(string name, NodeType type, uint mode)
    {
        var now = GoTimestamp.FromDateTimeOffset(_time.GetLocalNow());
        return new Node
        {
            Name = name,
            Type = type,
            Mode = mode,
            ModTime = now,
            AccessTime = now,
            ChangeTime = now,
            Uid = _identity.Uid,
            Gid = _identity.Gid,
            User = _identity.Username,
            Content = type == NodeType.File ? [] : null,
        };
    }

    private bool IsUnchanged(Node node, Node? previous)
    {
        if (previous is not { Type: NodeType.File, Content: not null })
        {
            return false;
        }

        if (previous.Size != node.Size || previous.ModTime != node.ModTime || previous.ChangeTime != node.ChangeTime || previous.Inode != node.Inode)
        {
            return false;
        }

        foreach (var id in previous.Content)
        {
            if (!_writer.HasBlob(new BlobHandle(id, BlobType.Data)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Stores the tree of <paramref name="children"/>, or returns <paramref name="previousId"/> when the
    /// tree is the parent's: its JSON would be the parent tree's byte for byte, so encoding, hashing
    /// and the index lookup would only find the same ID again.
    /// </summary>
    private async Task<Id> SaveTreeAsync(List<Task<Node?>> children, Tree? previous, Id? previousId)
    {
        var tree = new Tree { Nodes = new List<Node>(children.Count) };
        foreach (var child in children)
        {
            if (await child.ConfigureAwait(false) is Node node)
            {
                tree.Nodes.Add(node);
            }
        }

        if (_reuseParentTrees && previousId is Id same && previous is not null && NodeEncodedEquality.TreesAlike(tree.Nodes, previous.Nodes))
        {
            return same;
        }

        long started = PhaseTimings.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        long encodeStarted = StageClock.Start();
        byte[] json = tree.ToJson();
        StageClock.Stop(Stage.Tree, encodeStarted, json.Length);
        var id = Id.Hash(json);
        await _writer.SaveBlobAsync(BlobType.Tree, id, json, _cancellationToken).ConfigureAwait(false);
        AddElapsed(ref _treeSaveTicks, started);
        return id;
    }

    private async Task<Tree?> LoadPreviousTreeAsync(Node? previous)
    {
        if (previous is not { Type: NodeType.Dir, Subtree: Id subtree })
        {
            return null;
        }

        return _previousTreesAhead.TryRemove(subtree, out var ahead)
            ? await ahead.ConfigureAwait(false)
            : await LoadPreviousTreeAsync(subtree).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts loading the parent trees of <paramref name="previousTree"/>'s folders on other threads, so
    /// they are parsed while this folder is walked; only one level ahead of the walk, to bound memory.
    /// </summary>
    private void LoadPreviousSubtreesAhead(Tree? previousTree)
    {
        foreach (var node in previousTree?.Nodes ?? [])
        {
            if (node is { Type: NodeType.Dir, Subtree: Id subtree } && !_previousTreesAhead.ContainsKey(subtree))
            {
                _previousTreesAhead.TryAdd(subtree, Task.Run(() => LoadPreviousTreeAsync(subtree), _cancellationToken));
            }
        }
    }

    private async Task<Tree?> LoadPreviousTreeAsync(Id subtree)
    {
        long started = PhaseTimings.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        try
        {
            byte[] json = await _writer.LoadBlobAsync(new BlobHandle(subtree, BlobType.Tree), _cancellationToken).ConfigureAwait(false);
            long parseStarted = StageClock.Start();
            var tree = Tree.Parse(json);
            StageClock.Stop(Stage.Tree, parseStarted, json.Length);
            return tree;
        }
        catch (Exception error) when (error is Repository.Errors.DamagedDataException or InvalidDataException or FormatException)
        {
            // A damaged parent only costs speed: everything below is read again.
            return null;
        }
        finally
        {
            AddElapsed(ref _parentTreeTicks, started);
        }
    }

    private static void AddElapsed(ref long total, long started)
    {
        if (started != 0)
        {
            Interlocked.Add(ref total, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    private FileStatus? Stat(string path, string accessPath)
    {
        long started = StageClock.Start();
        try
        {
            var status = _fileSystem.LinkStatus(accessPath);
            StageClock.Stop(Stage.Walk, started);
            return status;
        }
        catch (FileSystemException error)
        {
            Warn(path, error);
            return null;
        }
    }

    private void Warn(string path, FileSystemException error) =>
        Warn(path, $"{error.Operation} {path}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error.Errno)}");

    private void Warn(string path, string message)
    {
        var warning = new BackupWarning(path, message);
        _warnings.Enqueue(warning);
        _status.AddError();
        _onWarning?.Invoke(warning);
    }

    internal static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;
}
