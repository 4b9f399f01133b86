// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Packs;
using Haven.Repository.Writing;
using Haven.Storage;

namespace Haven.Backup.Repairing;

/// <summary>
/// Replaces damaged packs as restic 0.17's 'repair packs' does: every blob of theirs that still
/// decrypts and matches its hash is stored again in new packs, the index is rebuilt without the
/// damaged packs, and only then are they deleted. Blobs that could not be saved are gone; 'repair
/// snapshots' then removes them from the snapshots.
/// </summary>
public sealed class PackSalvager
{
    private readonly Repository.Repository _repository;

    /// <param name="repository">An open repository with its index loaded.</param>
    public PackSalvager(Repository.Repository repository)
    {
        _repository = repository;
    }

    public async Task<PackSalvageResult> RunAsync(IReadOnlyCollection<Id> packIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packIds);
        var damaged = packIds.ToHashSet();
        var byPack = _repository.Index.Enumerate().Where(e => damaged.Contains(e.Location.PackId)).GroupBy(e => e.Location.PackId).ToDictionary(g => g.Key, g => g.ToList());

        // Forget the damaged packs so the writer stores their blobs again instead of skipping them.
        _repository.Index.RemovePacks(damaged);
        var writer = new BlobWriter(_repository);
        var lost = new List<BlobHandle>();
        int salvaged = 0;
        foreach (var packId in damaged.Order())
        {
            // One pack at a time: memory stays at one pack plus the writer's open packs.
            byte[]? content = await TryLoadAsync(packId, cancellationToken).ConfigureAwait(false);
            var entries = byPack.GetValueOrDefault(packId) ?? [];
            var known = entries.Select(e => new PackedBlob(e.Handle, e.Location.Offset, e.Location.Length, e.Location.UncompressedLength)).ToList();
            if (content is not null)
            {
                // The header may know blobs the index lost; use it when it opens.
                try
                {
                    known = known.UnionBy(PackFile.Parse(_repository.Key, content), b => b.Handle).ToList();
                }
                catch (InvalidDataException)
                {
                    // Damaged header: the index entries are all there is.
                }
            }

            foreach (var blob in known)
            {
                byte[]? plaintext = content is null ? null : TryOpen(content, blob);
                if (plaintext is null)
                {
                    lost.Add(blob.Handle);
                }
                else
                {
                    await writer.SaveBlobAsync(blob.Handle.Type, blob.Handle.Id, plaintext, cancellationToken).ConfigureAwait(false);
                    salvaged++;
                }
            }
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        var index = await new IndexRebuilder(_repository).RunAsync(damaged, cancellationToken).ConfigureAwait(false);
        int removed = 0;
        foreach (var packId in damaged)
        {
            try
            {
                await _repository.Backend.RemoveAsync(FileHandle.For(FileType.Pack, packId), cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (Exception error) when (_repository.Backend.IsNotFound(error))
            {
                // Already gone: nothing to remove.
            }
        }

        return new PackSalvageResult(salvaged, lost, removed, index);
    }

    private async Task<byte[]?> TryLoadAsync(Id packId, CancellationToken cancellationToken)
    {
        try
        {
            return await _repository.Backend.LoadAsync(FileHandle.For(FileType.Pack, packId), 0, 0, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException || _repository.Backend.IsNotFound(error))
        {
            return null;
        }
    }

    private byte[]? TryOpen(byte[] content, PackedBlob blob)
    {
        if ((long)blob.Offset + blob.Length > content.Length)
        {
            return null;
        }

        try
        {
            byte[] plaintext = BlobCodec.Open(_repository.Key, content.AsSpan((int)blob.Offset, (int)blob.Length), blob.UncompressedLength);
            return Id.Hash(plaintext) == blob.Handle.Id ? plaintext : null;
        }
        catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or InvalidDataException)
        {
            return null;
        }
    }
}
