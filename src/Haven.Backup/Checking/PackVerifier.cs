// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Crypto;
using Haven.Format.Packs;
using Haven.Repository.Errors;
using Haven.Storage;

namespace Haven.Backup.Checking;

/// <summary>
/// Reads one pack whole and checks it as restic's --read-data does: the SHA-256 of its bytes is its
/// name, its header opens and lists exactly what the index says, and every blob decrypts, decompresses
/// to its stated length and hashes to its ID.
/// </summary>
internal static class PackVerifier
{
    public static async Task<List<CheckProblem>> VerifyAsync(Repository.Repository repository, Id packId, IReadOnlyList<PackedBlob> indexed, CancellationToken cancellationToken)
    {
        var problems = new List<CheckProblem>();
        byte[] content;
        long started = Format.Diagnostics.StageClock.Start();
        try
        {
            content = await repository.Backend.LoadAsync(FileHandle.For(FileType.Pack, packId), 0, 0, cancellationToken).ConfigureAwait(false);
            Format.Diagnostics.StageClock.Stop(Format.Diagnostics.Stage.Read, started, content.Length);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            problems.Add(new CheckProblem(CheckProblemKind.DamagedPack, $"pack {packId}: cannot be read: {error.Message}") { Pack = packId, Blobs = [.. indexed.Select(b => b.Handle)] });
            return problems;
        }

        if (Id.Hash(content) != packId)
        {
            problems.Add(new CheckProblem(CheckProblemKind.DamagedPack, $"pack {packId}: its content does not match its name (SHA-256 {Id.Hash(content)})") { Pack = packId });
        }

        try
        {
            var header = PackFile.Parse(repository.Key, content);
            string? mismatch = Compare(header, indexed);
            if (mismatch is not null)
            {
                problems.Add(new CheckProblem(CheckProblemKind.DamagedPack, $"pack {packId}: its header and the index disagree: {mismatch}") { Pack = packId });
            }
        }
        catch (InvalidDataException error)
        {
            problems.Add(new CheckProblem(CheckProblemKind.DamagedPack, $"pack {packId}: its header cannot be read: {error.Message}") { Pack = packId });
        }

        // The pack buffer is ours and already hashed, so blobs decrypt in place; only blobs whose ranges overlap
        // (a damaged index) are opened into copies, so one cannot spoil another's bytes. The blobs of one pack
        // are spread over the cores, so that the last pack of a check does not run on one core alone. Each
        // worker reuses one plaintext buffer, grown to the largest blob it meets: a few allocations per pack
        // instead of one or two per blob, and no pool that keeps them after the check.
        HashSet<int> overlapping = Overlapping(indexed);
        var damages = new string?[indexed.Count];
        Parallel.For(
            0,
            indexed.Count,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => Array.Empty<byte>(),
            (i, _, plaintext) =>
            {
                damages[i] = CheckBlob(repository, content, indexed[i], inPlace: !overlapping.Contains(i), ref plaintext);
                return plaintext;
            },
            _ => { });
        for (int i = 0; i < indexed.Count; i++)
        {
            if (damages[i] is { } damage)
            {
                var handle = indexed[i].Handle;
                problems.Add(new CheckProblem(CheckProblemKind.DamagedBlob, $"pack {packId}: {BlobName(handle)} {damage}") { Pack = packId, Blobs = [handle] });
            }
        }

        return problems;
    }

    public static string BlobName(BlobHandle handle) => $"{(handle.Type == BlobType.Tree ? "tree" : "data")} blob {handle.Id}";

    private static string? CheckBlob(Repository.Repository repository, byte[] content, PackedBlob blob, bool inPlace, ref byte[] plaintext)
    {
        if ((long)blob.Offset + blob.Length > content.Length)
        {
            return $"at offset {blob.Offset} with length {blob.Length} lies beyond the end of the pack ({content.Length} bytes)";
        }

        var location = new Repository.Indexing.BlobLocation(Id.Null, blob.Offset, blob.Length, blob.UncompressedLength);
        if (blob.Length < MasterKey.Overhead || location.PlaintextLength > int.MaxValue)
        {
            return $"at offset {blob.Offset} does not decrypt or decompress (its length {blob.Length} or plaintext length {location.PlaintextLength} is impossible)";
        }

        Span<byte> sealedBlob = content.AsSpan((int)blob.Offset, (int)blob.Length);
        try
        {
            ReadOnlySpan<byte> opened;
            if (inPlace)
            {
                int length = (int)location.PlaintextLength;
                if (plaintext.Length < length)
                {
                    plaintext = GC.AllocateUninitializedArray<byte>(length);
                }

                BlobCodec.OpenInPlace(repository.Key, sealedBlob, blob.UncompressedLength, plaintext.AsSpan(0, length));
                opened = plaintext.AsSpan(0, length);
            }
            else
            {
                opened = BlobCodec.Open(repository.Key, sealedBlob, blob.UncompressedLength);
            }

            if (Id.Hash(opened) != blob.Handle.Id)
            {
                return $"at offset {blob.Offset} does not match its hash";
            }

            return opened.Length != location.PlaintextLength
                ? $"at offset {blob.Offset} decodes to {opened.Length} bytes, not {location.PlaintextLength}"
                : null;
        }
        catch (Exception error) when (error is System.Security.Cryptography.CryptographicException or InvalidDataException or DamagedDataException)
        {
            return $"at offset {blob.Offset} does not decrypt or decompress ({error.Message})";
        }
    }

    /// <summary>Positions in <paramref name="blobs"/> of the blobs whose byte ranges overlap another's (or chain to one that does).</summary>
    internal static HashSet<int> Overlapping(IReadOnlyList<PackedBlob> blobs)
    {
        var overlapping = new HashSet<int>();
        int clusterStart = -1;
        long reach = -1;
        foreach (int i in Enumerable.Range(0, blobs.Count).OrderBy(i => blobs[i].Offset))
        {
            if (blobs[i].Offset < reach)
            {
                overlapping.Add(clusterStart);
                overlapping.Add(i);
            }
            else
            {
                clusterStart = i;
            }

            reach = Math.Max(reach, (long)blobs[i].Offset + blobs[i].Length);
        }

        return overlapping;
    }

    private static string? Compare(List<PackedBlob> header, IReadOnlyList<PackedBlob> indexed)
    {
        var inIndex = indexed.ToDictionary(b => b.Handle);
        foreach (var blob in header)
        {
            if (!inIndex.Remove(blob.Handle, out var entry))
            {
                return $"{BlobName(blob.Handle)} is in the header but not in the index";
            }

            if (entry != blob)
            {
                return $"{BlobName(blob.Handle)} is at offset {blob.Offset} length {blob.Length} in the header but offset {entry.Offset} length {entry.Length} in the index";
            }
        }

        return inIndex.Count > 0 ? $"{BlobName(inIndex.Keys.First())} is in the index but not in the header" : null;
    }
}
