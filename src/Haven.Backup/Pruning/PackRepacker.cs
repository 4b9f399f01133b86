// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Repository.Errors;
using Haven.Repository.Indexing;
using Haven.Repository.Writing;
using Haven.Storage;

namespace Haven.Backup.Pruning;

/// <summary>
/// Copies the used blobs out of the packs chosen for repacking into new packs. Each blob is
/// decrypted and checked against its hash first, so a damaged blob stops prune before anything is
/// deleted. A blob that a kept pack also holds, or that was copied already, is not copied again.
/// </summary>
internal sealed class PackRepacker
{
    private readonly Repository.Repository _repository;
    private readonly IndexScanner _scanner;
    private readonly BlobUseTable _used;
    private readonly PruneStatus _status;

    public PackRepacker(Repository.Repository repository, IndexScanner scanner, BlobUseTable used, PruneStatus status)
    {
        _repository = repository;
        _scanner = scanner;
        _used = used;
        _status = status;
    }

    public async Task RepackAsync(PrunePlan plan, CancellationToken cancellationToken)
    {
        await foreach (var pack in _scanner.PacksAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!plan.Leaves(pack.PackId))
            {
                foreach (var blob in pack.Blobs)
                {
                    _used.MarkStored(blob.Handle);
                }
            }
        }

        var writer = new BlobWriter(_repository);
        await foreach (var pack in _scanner.PacksAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!plan.Repack.Contains(pack.PackId))
            {
                continue;
            }

            byte[] content = await _repository.Backend.LoadAsync(FileHandle.For(FileType.Pack, pack.PackId), 0, 0, cancellationToken).ConfigureAwait(false);
            foreach (var blob in pack.Blobs)
            {
                if (!_used.Contains(blob.Handle) || _used.IsStored(blob.Handle))
                {
                    continue;
                }

                if (blob.Offset + (long)blob.Length > content.Length)
                {
                    throw new DamagedDataException($"pack {pack.PackId} is damaged: it is {content.Length} bytes, too short for blob {blob.Handle.Id} at offset {blob.Offset}; prune stopped before deleting anything");
                }

                var location = new BlobLocation(pack.PackId, blob.Offset, blob.Length, blob.UncompressedLength);
                byte[] plaintext;
                try
                {
                    plaintext = _repository.OpenBlob(blob.Handle, location, content.AsSpan((int)blob.Offset, (int)blob.Length));
                }
                catch (DamagedDataException error)
                {
                    throw new DamagedDataException($"{error.Message}; prune stopped before deleting anything", error);
                }

                await writer.CopyBlobAsync(blob.Handle.Type, blob.Handle.Id, plaintext, cancellationToken).ConfigureAwait(false);
                _used.MarkStored(blob.Handle);
            }

            _status.PackRepacked(content.Length);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        var lost = _used.NotStored().Take(10).ToList();
        if (lost.Count > 0)
        {
            throw new InvalidOperationException($"internal error: blobs in use were neither kept nor repacked ({string.Join(", ", lost)}); prune stopped before deleting anything");
        }
    }
}
