// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Backup.FileSystem;
using Haven.Format;
using Haven.Format.Trees;
using Haven.Repository.Errors;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Restoring;

/// <summary>
/// Writes regular files on worker tasks. Blobs that are all zeros are skipped and the file is
/// truncated to its length afterwards, so sparse files come back sparse. Names sharing an inode
/// in the snapshot come back as hard links to the first one restored.
/// </summary>
internal sealed class FileRestorer
{
    private readonly Repository.Repository _repository;
    private readonly LocalFileSystem _fileSystem;
    private readonly MetadataWriter _metadata;
    private readonly RestoreStatus _status;
    private readonly RestoreOptions _options;
    private readonly Action<RestoreError> _report;
    private readonly CancellationToken _cancellationToken;
    private readonly SemaphoreSlim _slots;
    private readonly List<Task> _running = [];
    private readonly ConcurrentDictionary<(ulong Device, ulong Inode), string> _linked = new();
    private readonly List<(string First, string Path, string AccessPath)> _pendingLinks = [];

    public FileRestorer(Repository.Repository repository, LocalFileSystem fileSystem, MetadataWriter metadata, RestoreStatus status, RestoreOptions options, Action<RestoreError> report, CancellationToken cancellationToken)
    {
        _repository = repository;
        _fileSystem = fileSystem;
        _metadata = metadata;
        _status = status;
        _options = options;
        _report = report;
        _cancellationToken = cancellationToken;
        _slots = new SemaphoreSlim(options.WriteConcurrency);
    }

    /// <summary>Restores a file at <paramref name="accessPath"/>; <paramref name="path"/> is how errors name it.</summary>
    public async Task EnqueueAsync(string path, string accessPath, Node node)
    {
        if (node.Links > 1 && _linked.TryGetValue((node.DeviceId, node.Inode), out string? first))
        {
            // The first name may still be being written: link once every file is done.
            lock (_pendingLinks)
            {
                _pendingLinks.Add((first, path, accessPath));
            }

            return;
        }

        if (node.Links > 1)
        {
            _linked.TryAdd((node.DeviceId, node.Inode), accessPath);
        }

        await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
        var task = Task.Run(
            async () =>
            {
                try
                {
                    await RestoreAsync(path, accessPath, node).ConfigureAwait(false);
                }
                catch (Exception error) when (error is IOException or DamagedDataException)
                {
                    _report(new RestoreError(path, error.Message));
                }
                finally
                {
                    _slots.Release();
                }
            },
            _cancellationToken);
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompletedSuccessfully);
            _running.Add(task);
        }
    }

    public async Task CompleteAsync()
    {
        Task[] all;
        lock (_running)
        {
            all = [.. _running];
        }

        await Task.WhenAll(all).ConfigureAwait(false);
        foreach (var (first, path, accessPath) in _pendingLinks)
        {
            Run(path, () => Link(first, accessPath));
        }
    }

    private void Link(string first, string path)
    {
        RemoveExisting(path);
        _fileSystem.CreateHardLink(first, path);
        _status.CompleteFile();
    }

    private async Task RestoreAsync(string path, string accessPath, Node node)
    {
        _status.StartFile(path);
        RemoveExisting(accessPath);
        long length = 0;
        using (var file = _fileSystem.CreateFile(accessPath, 0x180))
        {
            foreach (var id in node.Content ?? [])
            {
                // A damaged blob fails this file (reported with its path by the caller); the bytes before it stay, nothing wrong is written.
                byte[] blob = await _repository.LoadBlobAsync(new BlobHandle(id, BlobType.Data), _cancellationToken).ConfigureAwait(false);

                if (blob.AsSpan().IndexOfAnyExcept((byte)0) >= 0)
                {
                    await RandomAccess.WriteAsync(file, blob, length, _cancellationToken).ConfigureAwait(false);
                }

                length += blob.Length;
                _status.AddBytes(blob.Length);
            }

            _fileSystem.Truncate(file, length);
        }

        _metadata.Apply(accessPath, node);
        _status.CompleteFile();
        if (_options.Verify)
        {
            await VerifyAsync(path, accessPath, node).ConfigureAwait(false);
        }
    }

    private async Task VerifyAsync(string path, string accessPath, Node node)
    {
        using SafeFileHandle file = _fileSystem.OpenRead(accessPath);
        long offset = 0;
        foreach (var id in node.Content ?? [])
        {
            if (!_repository.Index.TryGet(new BlobHandle(id, BlobType.Data), out var location))
            {
                throw new DamagedDataException($"verify {path}: blob {id} is not in the index");
            }

            var buffer = new byte[location.PlaintextLength];
            int read = await RandomAccess.ReadAsync(file, buffer, offset, _cancellationToken).ConfigureAwait(false);
            if (read != buffer.Length || Id.Hash(buffer) != id)
            {
                throw new DamagedDataException($"verify {path}: the {buffer.Length} bytes at offset {offset} do not match blob {id.ToShortString()}");
            }

            offset += read;
        }

        if (RandomAccess.GetLength(file) != offset)
        {
            throw new DamagedDataException($"verify {path}: the file is {RandomAccess.GetLength(file)} bytes, the snapshot says {offset}");
        }

        _status.CompleteVerify();
    }

    private void RemoveExisting(string path) => ExistingEntry.Remove(_fileSystem, path);

    private void Run(string path, Action action)
    {
        try
        {
            action();
        }
        catch (IOException error)
        {
            _report(new RestoreError(path, error.Message));
        }
    }
}
