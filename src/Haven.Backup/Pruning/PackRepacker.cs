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

    // Grown to the largest pack and blob met, and reused: a new array per pack and per blob would be
    // large-object-heap garbage, and the shared pools keep idle arrays of every size they have seen.
    private byte[] _content = [];
    private byte[] _plaintext = [];

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

            // Only up to the end of the last blob to copy is read.
            var copied = pack.Blobs.Where(blob => _used.Contains(blob.Handle) && !_used.IsStored(blob.Handle)).ToList();
            long end = copied.Count == 0 ? 0 : copied.Max(blob => blob.Offset + (long)blob.Length);
            if (end > Array.MaxLength)
            {
                throw new DamagedDataException($"pack {pack.PackId} is damaged: its index entries reach offset {end}, beyond any pack Haven or restic writes; prune stopped before deleting anything");
            }

            byte[] content = BlobBuffers.Grow(ref _content, (int)end);
            long size = await ReadAsync(pack.PackId, content.AsMemory(0, (int)end), cancellationToken).ConfigureAwait(false);
            foreach (var blob in copied)
            {
                if (_used.IsStored(blob.Handle))
                {
                    continue;
                }

                var location = new BlobLocation(pack.PackId, blob.Offset, blob.Length, blob.UncompressedLength);
                if (location.PlaintextLength > Array.MaxLength)
                {
                    throw new DamagedDataException($"pack {pack.PackId} is damaged: blob {blob.Handle.Id} claims {location.PlaintextLength} bytes of plaintext; prune stopped before deleting anything");
                }

                int length = (int)location.PlaintextLength;
                byte[] plaintext = BlobBuffers.Grow(ref _plaintext, length);

                try
                {
                    // The pack's bytes are ours (copied blobs never overlap in a sound pack; the hash check
                    // catches one that does), so each blob decrypts in place into the one plaintext buffer.
                    _repository.OpenBlobInPlace(blob.Handle, location, content.AsSpan((int)blob.Offset, (int)blob.Length), plaintext.AsSpan(0, length));
                }
                catch (DamagedDataException error)
                {
                    throw new DamagedDataException($"{error.Message}; prune stopped before deleting anything", error);
                }

                // The writer seals the plaintext before it returns, so the buffer is free again afterwards.
                await writer.CopyBlobAsync(blob.Handle.Type, blob.Handle.Id, plaintext.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                _used.MarkStored(blob.Handle);
            }

            _status.PackRepacked(size);
        }

        _content = [];
        _plaintext = [];
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        var lost = _used.NotStored().Take(10).ToList();
        if (lost.Count > 0)
        {
            throw new InvalidOperationException($"internal error: blobs in use were neither kept nor repacked ({string.Join(", ", lost)}); prune stopped before deleting anything");
        }
    }

    /// <summary>Reads the start of a pack; returns the pack's size.</summary>
    private async Task<long> ReadAsync(Format.Id packId, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var handle = FileHandle.For(FileType.Pack, packId);
        long size = await _repository.Backend.GetSizeAsync(handle, cancellationToken).ConfigureAwait(false);
        if (size < destination.Length)
        {
            throw new DamagedDataException($"pack {packId} is damaged: it is {size} bytes, too short for the blobs the index places up to offset {destination.Length}; prune stopped before deleting anything");
        }

        await _repository.Backend.ReadAsync(handle, 0, destination, cancellationToken).ConfigureAwait(false);
        return size;
    }
}
