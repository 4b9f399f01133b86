// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Indexes;
using Haven.Format.Packs;
using Haven.Storage;

namespace Haven.Backup.Repairing;

/// <summary>
/// Rebuilds the index from the packs themselves: reads the tail of every pack (its header), writes
/// new index files for every pack whose header opens, and only then removes the old index files, so
/// a crash at any point leaves an index that covers at least what it covered before.
/// </summary>
public sealed class IndexRebuilder
{
    // restic 0.14 writes at most 150,000 blobs per index file; smaller files are cheaper to rewrite.
    private const int MaxBlobsPerFile = 50_000;

    private readonly Repository.Repository _repository;

    public IndexRebuilder(Repository.Repository repository)
    {
        _repository = repository;
    }

    /// <param name="exclude">Packs to leave out of the new index (a repair is about to delete them).</param>
    public async Task<IndexRebuildResult> RunAsync(IReadOnlySet<Id> exclude, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exclude);
        var oldIndexes = await _repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false);
        var stored = new List<StoredFile>();
        await foreach (var file in _repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            stored.Add(file);
        }

        var unreadable = new List<(Id, string)>();
        var written = new HashSet<Id>();
        var current = new IndexFile();
        int packs = 0, blobs = 0, inCurrent = 0;
        foreach (var file in stored.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var id = Id.Parse(file.Name);
            if (exclude.Contains(id))
            {
                continue;
            }

            try
            {
                var header = await ReadHeaderAsync(id, file.Size, cancellationToken).ConfigureAwait(false);
                current.Packs.Add(new IndexPack(id, header));
                packs++;
                blobs += header.Count;
                inCurrent += header.Count;
            }
            catch (Exception error) when (error is InvalidDataException or ArgumentException or IOException || _repository.Backend.IsNotFound(error))
            {
                unreadable.Add((id, error.Message));
                continue;
            }

            if (inCurrent >= MaxBlobsPerFile)
            {
                written.Add(await _repository.SaveUnpackedAsync(FileType.Index, current.ToJson(), cancellationToken).ConfigureAwait(false));
                current = new IndexFile();
                inCurrent = 0;
            }
        }

        if (current.Packs.Count > 0)
        {
            written.Add(await _repository.SaveUnpackedAsync(FileType.Index, current.ToJson(), cancellationToken).ConfigureAwait(false));
        }

        // The new files are stored (the backend's saves are durable) before any old one goes.
        int removed = 0;
        foreach (var old in oldIndexes.Where(old => !written.Contains(old)))
        {
            await _repository.Backend.RemoveAsync(FileHandle.For(FileType.Index, old), cancellationToken).ConfigureAwait(false);
            removed++;
        }

        return new IndexRebuildResult(packs, blobs, unreadable, written.Count, removed);
    }

    /// <summary>Reads a pack's header from its tail: one read of restic's read-ahead size, a second only for a long header.</summary>
    private async Task<List<PackedBlob>> ReadHeaderAsync(Id id, long size, CancellationToken cancellationToken)
    {
        if (size < 4)
        {
            throw new InvalidDataException($"pack of {size} bytes is too short to hold a header");
        }

        var handle = FileHandle.For(FileType.Pack, id);
        int tailLength = (int)Math.Min(size, PackFile.TailReadAhead);
        byte[] tail = await _repository.Backend.LoadAsync(handle, size - tailLength, tailLength, cancellationToken).ConfigureAwait(false);
        int headerLength = PackFile.ReadHeaderLength(tail.AsSpan(tail.Length - 4));
        if (headerLength > size - 4)
        {
            throw new InvalidDataException($"pack header length {headerLength} exceeds the pack size {size}");
        }

        byte[] sealedHeader = headerLength + 4 <= tailLength
            ? tail[(tailLength - 4 - headerLength)..(tailLength - 4)]
            : await _repository.Backend.LoadAsync(handle, size - 4 - headerLength, headerLength, cancellationToken).ConfigureAwait(false);
        return PackFile.ParseHeader(_repository.Key, sealedHeader, size);
    }
}
