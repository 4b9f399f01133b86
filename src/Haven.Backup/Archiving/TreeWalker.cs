// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Backup.FileSystem;
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Format.Trees;
using Haven.Repository;

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
    private readonly SemaphoreSlim _fileSlots;
    private readonly ConcurrentQueue<BackupWarning> _warnings;
    private readonly Action<BackupWarning>? _onWarning;
    private readonly CancellationToken _cancellationToken;

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
        CancellationToken cancellationToken)
    {
        _writer = writer;
        _fileSystem = fileSystem;
        _nodes = nodes;
        _options = options;
        _status = status;
        _contentSaver = new FileContentSaver(polynomial, savers, status);
        _fileSlots = new SemaphoreSlim(options.ReadConcurrency);
        _warnings = warnings;
        _onWarning = onWarning;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Archives the targets below <paramref name="targets"/> and returns the root tree's ID.</summary>
    public async Task<Id> ArchiveRootAsync(TargetTree targets, Tree? previousRoot)
    {
        return await ArchiveVirtualAsync(targets, "/", previousRoot).ConfigureAwait(false);
    }

    private async Task<Id> ArchiveVirtualAsync(TargetTree level, string path, Tree? previous)
    {
        var children = new List<Task<Node?>>();
        foreach (var (name, child) in level.Children)
        {
            string childPath = Join(path, name);
            var previousChild = previous?.Find(name);
            if (child.IsTarget)
            {
                children.Add(await ArchiveEntryAsync(childPath, childPath, name, previousChild, rootDevice: null).ConfigureAwait(false));
                continue;
            }

            var status = Stat(childPath, childPath);
            if (status is null)
            {
                continue;
            }

            var node = _nodes.Create(name, childPath, status.Value);
            var previousTree = await LoadPreviousTreeAsync(previousChild).ConfigureAwait(false);
            node.Subtree = await ArchiveVirtualAsync(child, childPath, previousTree).ConfigureAwait(false);
            children.Add(Task.FromResult<Node?>(node));
        }

        return await SaveTreeAsync(children).ConfigureAwait(false);
    }

    private async Task<Task<Node?>> ArchiveEntryAsync(string path, string accessPath, string name, Node? previous, ulong? rootDevice)
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
        try
        {
            node = _nodes.Create(name, accessPath, status.Value);
        }
        catch (FileSystemException error)
        {
            Warn(path, error);
            return Task.FromResult<Node?>(null);
        }

        switch (node.Type)
        {
            case NodeType.Dir:
                await ArchiveDirectoryAsync(path, accessPath, node, previous, rootDevice ?? status.Value.Device).ConfigureAwait(false);
                return Task.FromResult<Node?>(node);
            case NodeType.File when !_options.Force && IsUnchanged(node, previous):
                // Nothing to read: taken over from the parent here, without a hand-off to a worker.
                _status.StartFile(path);
                node.Content = previous!.Content;
                _status.CompleteFile(path, FileChange.Unmodified, (long)node.Size, (long)node.Size);
                return Task.FromResult<Node?>(node);
            case NodeType.File:
                await _fileSlots.WaitAsync(_cancellationToken).ConfigureAwait(false);
                return Task.Run(() => ArchiveFileAsync(path, accessPath, node, previous), _cancellationToken);
            default:
                return Task.FromResult<Node?>(node);
        }
    }

    private async Task ArchiveDirectoryAsync(string path, string accessPath, Node node, Node? previous, ulong rootDevice)
    {
        var previousTree = await LoadPreviousTreeAsync(previous).ConfigureAwait(false);
        List<string> names;
        DirectoryAccess access;
        try
        {
            names = _fileSystem.ReadDirectory(accessPath);
            access = DirectoryAccess.Open(_fileSystem, path, accessPath);
        }
        catch (FileSystemException error)
        {
            Warn(path, error);
            names = [];
            access = DirectoryAccess.Open(_fileSystem, "/", "/");
        }

        using var _ = access;

        names.Sort(RawNameComparer.Instance);
        var children = new List<Task<Node?>>(names.Count);
        foreach (string name in names)
        {
            string childPath = Join(path, name);
            if (_options.Excludes.Matches(childPath))
            {
                continue;
            }

            children.Add(await ArchiveEntryAsync(childPath, access.Child(name), name, previousTree?.Find(name), rootDevice).ConfigureAwait(false));
        }

        node.Subtree = await SaveTreeAsync(children).ConfigureAwait(false);
        _status.CompleteDirectory(previous?.Subtree is null ? FileChange.New : previous.Subtree == node.Subtree ? FileChange.Unmodified : FileChange.Changed);
    }

    private async Task<Node?> ArchiveFileAsync(string path, string accessPath, Node node, Node? previous)
    {
        try
        {
            _status.StartFile(path);
            using var file = _fileSystem.OpenRead(accessPath);
            var (content, size) = await _contentSaver.SaveAsync(file, _cancellationToken).ConfigureAwait(false);
            node.Content = content;
            node.Size = (ulong)size;
            _status.CompleteFile(path, previous is null ? FileChange.New : FileChange.Changed, size, 0);
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
            _fileSlots.Release();
        }
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

    private async Task<Id> SaveTreeAsync(List<Task<Node?>> children)
    {
        var tree = new Tree();
        foreach (var child in children)
        {
            if (await child.ConfigureAwait(false) is Node node)
            {
                tree.Nodes.Add(node);
            }
        }

        byte[] json = tree.ToJson();
        var id = Id.Hash(json);
        await _writer.SaveBlobAsync(BlobType.Tree, id, json, _cancellationToken).ConfigureAwait(false);
        return id;
    }

    private async Task<Tree?> LoadPreviousTreeAsync(Node? previous)
    {
        if (previous is not { Type: NodeType.Dir, Subtree: Id subtree })
        {
            return null;
        }

        try
        {
            return Tree.Parse(await _writer.LoadBlobAsync(new BlobHandle(subtree, BlobType.Tree), _cancellationToken).ConfigureAwait(false));
        }
        catch (Exception error) when (error is Repository.Errors.DamagedDataException or InvalidDataException or FormatException)
        {
            // A damaged parent only costs speed: everything below is read again.
            return null;
        }
    }

    private FileStatus? Stat(string path, string accessPath)
    {
        try
        {
            return _fileSystem.LinkStatus(accessPath);
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
