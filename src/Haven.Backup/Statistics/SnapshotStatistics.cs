// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Backup.Restoring;
using Haven.Format;
using Haven.Format.Trees;
using Haven.Repository.Errors;

namespace Haven.Backup.Statistics;

/// <summary>Walks snapshots and counts their files, sizes and blobs in one of restic's stats modes.</summary>
public sealed class SnapshotStatistics
{
    private readonly Repository.Repository _repository;
    private readonly TreeLoader _trees;
    private readonly StatisticsMode _mode;
    private readonly HashSet<Id> _uniqueContents = [];
    private readonly Dictionary<string, HashSet<Id>> _fileBlobs = new(StringComparer.Ordinal);
    private readonly HashSet<BlobHandle> _blobs = [];
    private int _snapshots;
    private ulong _totalSize;
    private ulong _fileCount;
    private ulong _blobCount;
    private ulong _restoreSize;

    public SnapshotStatistics(Repository.Repository repository, StatisticsMode mode)
    {
        _repository = repository;
        _trees = new TreeLoader(repository);
        _mode = mode;
    }

    /// <summary>Counts one snapshot's tree; call once per snapshot, then <see cref="Summarize"/>.</summary>
    public async Task AddSnapshotAsync(Id tree, CancellationToken cancellationToken)
    {
        _snapshots++;
        var hardlinks = new HashSet<(ulong Inode, ulong Device)>();
        if (_mode == StatisticsMode.RawData)
        {
            _blobs.Add(new BlobHandle(tree, BlobType.Tree));
        }

        await WalkAsync(tree, string.Empty, hardlinks, cancellationToken).ConfigureAwait(false);
    }

    public StatisticsSummary Summarize()
    {
        if (_mode != StatisticsMode.RawData)
        {
            return new StatisticsSummary { SnapshotsCount = _snapshots, TotalSize = _totalSize, TotalFileCount = _fileCount, TotalBlobCount = _blobCount };
        }

        ulong stored = 0, uncompressed = 0, compressedStored = 0, compressedUncompressed = 0;
        foreach (var handle in _blobs)
        {
            if (!_repository.Index.TryGet(handle, out var location))
            {
                throw new DamagedDataException($"blob {handle} is used by a snapshot but is not in the index; run 'haven check'");
            }

            ulong ciphertext = location.PlaintextLength + (ulong)Format.Crypto.MasterKey.Overhead;
            stored += location.Length;
            uncompressed += ciphertext;
            if (location.UncompressedLength != 0)
            {
                compressedStored += location.Length;
                compressedUncompressed += ciphertext;
            }
        }

        return new StatisticsSummary
        {
            SnapshotsCount = _snapshots,
            TotalSize = stored,
            TotalBlobCount = (ulong)_blobs.Count,
            TotalUncompressedSize = uncompressed,
            CompressionRatio = compressedStored > 0 ? (double)compressedUncompressed / compressedStored : 0,
            CompressionProgress = uncompressed > 0 ? (double)compressedUncompressed / uncompressed * 100 : 0,
            CompressionSpaceSaving = uncompressed > 0 ? (1 - ((double)stored / uncompressed)) * 100 : 0,
            RestoreSize = _restoreSize,
            DeduplicationRatio = uncompressed > 0 ? (double)_restoreSize / uncompressed : 0,
        };
    }

    private async Task WalkAsync(Id treeId, string prefix, HashSet<(ulong, ulong)> hardlinks, CancellationToken cancellationToken)
    {
        var tree = await _trees.LoadAsync(treeId, cancellationToken).ConfigureAwait(false);
        foreach (var node in tree.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = prefix + "/" + node.Name;
            Visit(path, node, hardlinks);
            if (node is { Type: NodeType.Dir, Subtree: Id subtree })
            {
                await WalkAsync(subtree, path, hardlinks, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Visit(string path, Node node, HashSet<(ulong, ulong)> hardlinks)
    {
        // Restore size: each entry once, but the content of hardlinked files once per snapshot.
        ulong restored = node.Links == 1 || node.Type == NodeType.Dir || node.Inode == 0 || hardlinks.Add((node.Inode, node.DeviceId)) ? node.Size : 0;
        switch (_mode)
        {
            case StatisticsMode.RestoreSize:
                _fileCount++;
                _totalSize += restored;
                break;
            case StatisticsMode.RawData:
                _restoreSize += restored;
                AddBlobs(node);
                break;
            case StatisticsMode.FilesByContents when _uniqueContents.Add(ContentKey(node)):
                _fileCount++;
                _totalSize += node.Size;
                break;
            case StatisticsMode.BlobsPerFile when _uniqueContents.Add(ContentKey(node)):
                CountFileBlobs(path, node);
                break;
        }
    }

    private void CountFileBlobs(string path, Node node)
    {
        foreach (var id in node.Content ?? [])
        {
            if (!_fileBlobs.TryGetValue(path, out var seen))
            {
                _fileBlobs[path] = seen = [];
                _fileCount++;
            }

            if (seen.Add(id))
            {
                if (!_repository.Index.TryGet(new BlobHandle(id, BlobType.Data), out var location))
                {
                    throw new DamagedDataException($"data blob {id} of {path} is not in the index; run 'haven check'");
                }

                _totalSize += location.PlaintextLength;
                _blobCount++;
            }
        }
    }

    private void AddBlobs(Node node)
    {
        foreach (var id in node.Content ?? [])
        {
            _blobs.Add(new BlobHandle(id, BlobType.Data));
        }

        if (node is { Type: NodeType.Dir, Subtree: Id subtree })
        {
            _blobs.Add(new BlobHandle(subtree, BlobType.Tree));
        }
    }

    /// <summary>restic's file identity by contents: the SHA-256 of the content IDs in order.</summary>
    private static Id ContentKey(Node node)
    {
        var content = node.Content ?? [];
        byte[] bytes = new byte[content.Count * Id.Size];
        for (int i = 0; i < content.Count; i++)
        {
            content[i].CopyTo(bytes.AsSpan(i * Id.Size));
        }

        return new Id(SHA256.HashData(bytes));
    }
}
