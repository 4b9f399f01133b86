// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Format;
using Haven.Format.Crypto;
using Haven.Format.Packs;
using Haven.Repository.Errors;
using Haven.Storage;

namespace Haven.Backup.Checking;

/// <summary>
/// Reads one pack and checks it as restic's --read-data does: the SHA-256 of its bytes is its
/// name, its header opens and lists exactly what the index says, and every blob decrypts, decompresses
/// to its stated length and hashes to its ID.
/// </summary>
internal static class PackVerifier
{
    /// <summary>
    /// Bytes read at a time (more when a blob, or a chain of overlapping ones, is longer): a pack streams through a
    /// window instead of being held whole, so two packs checked at once hold a few MiB rather than two 16 MiB arrays.
    /// </summary>
    internal const int WindowBytes = 4 << 20;

    /// <summary>
    /// Packs verified at once: while one pack's window is read and hashed (one thread), the other's blobs are opened.
    /// Each pack's blobs then take their share of the cores, so there are never more plaintext arrays than cores.
    /// </summary>
    internal const int PacksAtOnce = 2;

    /// <summary>
    /// Checks the pack of <paramref name="size"/> bytes (its listed size), read in order through a window of
    /// <paramref name="buffers"/>, hashed as it goes; the blobs of each window are checked before the next is read.
    /// </summary>
    public static async Task<List<CheckProblem>> VerifyAsync(
        Repository.Repository repository, Id packId, long size, IReadOnlyList<PackedBlob> indexed, Buffers buffers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        var problems = new List<CheckProblem>();
        var handle = FileHandle.For(FileType.Pack, packId);
        var damages = new string?[indexed.Count];
        HashSet<int> overlapping = Overlapping(indexed);
        using var packHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var window in Windows(indexed, size, damages))
        {
            int length = (int)(window.End - window.Start);
            Memory<byte> bytes = buffers.Window(length);
            long started = Format.Diagnostics.StageClock.Start();
            try
            {
                await repository.Backend.ReadAsync(handle, window.Start, bytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                problems.Add(new CheckProblem(CheckProblemKind.DamagedPack, $"pack {packId}: cannot be read: {error.Message}") { Pack = packId, Blobs = [.. indexed.Select(b => b.Handle)] });
                return problems;
            }

            started = Format.Diagnostics.StageClock.Lap(Format.Diagnostics.Stage.Read, started, length);
            packHash.AppendData(bytes.Span);
            Format.Diagnostics.StageClock.Stop(Format.Diagnostics.Stage.Hash, started, length);
            CheckBlobs(repository, bytes, window, indexed, overlapping, damages, buffers, cancellationToken);
        }

        var hash = new Id(packHash.GetHashAndReset());
        if (hash != packId)
        {
            problems.Add(new CheckProblem(CheckProblemKind.DamagedPack, $"pack {packId}: its content does not match its name (SHA-256 {hash})") { Pack = packId });
        }

        string? headerProblem = await CompareHeaderAsync(repository, handle, size, indexed, cancellationToken).ConfigureAwait(false);
        if (headerProblem is not null)
        {
            problems.Add(new CheckProblem(CheckProblemKind.DamagedPack, $"pack {packId}: {headerProblem}") { Pack = packId });
        }

        for (int i = 0; i < indexed.Count; i++)
        {
            if (damages[i] is { } damage)
            {
                var blobHandle = indexed[i].Handle;
                problems.Add(new CheckProblem(CheckProblemKind.DamagedBlob, $"pack {packId}: {BlobName(blobHandle)} {damage}") { Pack = packId, Blobs = [blobHandle] });
            }
        }

        return problems;
    }

    /// <summary>
    /// Consecutive byte ranges covering the pack, each about <see cref="WindowBytes"/> and never cutting a blob: a
    /// window grows to the end of every blob that starts in it. Blobs that reach beyond the pack are marked damaged here.
    /// </summary>
    internal static List<Window> Windows(IReadOnlyList<PackedBlob> blobs, long size, string?[] damages)
    {
        var order = Enumerable.Range(0, blobs.Count).OrderBy(i => blobs[i].Offset).ToList();
        var windows = new List<Window>();
        int next = 0;
        for (long start = 0; start < size;)
        {
            long end = Math.Min(size, start + WindowBytes);
            var members = new List<int>();
            for (; next < order.Count && blobs[order[next]].Offset < end; next++)
            {
                int i = order[next];
                long blobEnd = blobs[i].Offset + (long)blobs[i].Length;
                if (blobEnd > size)
                {
                    damages[i] = $"at offset {blobs[i].Offset} with length {blobs[i].Length} lies beyond the end of the pack ({size} bytes)";
                    continue;
                }

                end = Math.Max(end, blobEnd);
                members.Add(i);
            }

            windows.Add(new Window(start, end, members));
            start = end;
        }

        for (; next < order.Count; next++)
        {
            var blob = blobs[order[next]];
            damages[order[next]] = $"at offset {blob.Offset} with length {blob.Length} lies beyond the end of the pack ({size} bytes)";
        }

        return windows;
    }

    /// <summary>
    /// The window's bytes are ours and already hashed, so blobs decrypt in place; only blobs whose ranges overlap
    /// (a damaged index) are opened into copies, so one cannot spoil another's bytes. The blobs are spread over this
    /// pack's share of the cores (see <see cref="PacksAtOnce"/>): more threads would each hold a plaintext array for
    /// no gain, as the other pack keeps the remaining cores busy.
    /// </summary>
    private static void CheckBlobs(
        Repository.Repository repository, Memory<byte> bytes, Window window, IReadOnlyList<PackedBlob> indexed, HashSet<int> overlapping,
        string?[] damages, Buffers buffers, CancellationToken cancellationToken)
    {
        Parallel.For(
            0,
            window.Blobs.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount / PacksAtOnce), CancellationToken = cancellationToken },
            buffers.TakePlaintext,
            (m, _, plaintext) =>
            {
                int i = window.Blobs[m];
                var blob = indexed[i];
                var sealedBlob = bytes.Span.Slice((int)(blob.Offset - window.Start), (int)blob.Length);
                damages[i] = CheckBlob(repository, sealedBlob, blob, inPlace: !overlapping.Contains(i), ref plaintext);
                return plaintext;
            },
            buffers.ReturnPlaintext);
    }

    private static async Task<string?> CompareHeaderAsync(
        Repository.Repository repository, FileHandle handle, long size, IReadOnlyList<PackedBlob> indexed, CancellationToken cancellationToken)
    {
        List<PackedBlob> header;
        try
        {
            // The header is at the pack's end, already read (and hashed) once: these reads hit the page cache.
            if (size < 4)
            {
                throw new InvalidDataException($"pack of {size} bytes is too short to hold a header length");
            }

            byte[] lengthField = await repository.Backend.LoadAsync(handle, size - 4, 4, cancellationToken).ConfigureAwait(false);
            long headerLength = (uint)PackFile.ReadHeaderLength(lengthField);
            if (headerLength < MasterKey.Overhead || headerLength > size - 4 || headerLength > PackHeader.MaxSealedLength)
            {
                throw new InvalidDataException($"pack header length {headerLength} does not fit a pack of {size} bytes");
            }

            byte[] sealedHeader = await repository.Backend.LoadAsync(handle, size - 4 - headerLength, (int)headerLength, cancellationToken).ConfigureAwait(false);
            header = PackFile.ParseHeader(repository.Key, sealedHeader, size);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return $"its header cannot be read: {error.Message}";
        }

        string? mismatch = Compare(header, indexed);
        return mismatch is null ? null : $"its header and the index disagree: {mismatch}";
    }

    public static string BlobName(BlobHandle handle) => $"{(handle.Type == BlobType.Tree ? "tree" : "data")} blob {handle.Id}";

    private static string? CheckBlob(Repository.Repository repository, Span<byte> sealedBlob, PackedBlob blob, bool inPlace, ref byte[] plaintext)
    {
        var location = new Repository.Indexing.BlobLocation(Id.Null, blob.Offset, blob.Length, blob.UncompressedLength);
        if (blob.Length < MasterKey.Overhead || location.PlaintextLength > int.MaxValue)
        {
            return $"at offset {blob.Offset} does not decrypt or decompress (its length {blob.Length} or plaintext length {location.PlaintextLength} is impossible)";
        }

        try
        {
            ReadOnlySpan<byte> opened;
            if (inPlace && blob.UncompressedLength == 0)
            {
                // Stored uncompressed: the plaintext is hashed where it was decrypted, no copy.
                long started = Format.Diagnostics.StageClock.Start();
                opened = repository.Key.OpenInPlace(sealedBlob);
                Format.Diagnostics.StageClock.Stop(Format.Diagnostics.Stage.Decrypt, started, sealedBlob.Length);
            }
            else if (inPlace)
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

    /// <summary>A byte range of a pack and the positions (in the index's list) of the blobs inside it.</summary>
    internal sealed record Window(long Start, long End, List<int> Blobs);

    /// <summary>
    /// One pack at a time's window, kept for the next pack: a check reads every pack, and new arrays of MiBs per pack
    /// would be large-object-heap garbage that only a full collection frees. The plaintext arrays (up to a chunk's
    /// 8 MiB each) are shared by the packs verified at once, so there are no more of them than blobs open at once.
    /// </summary>
    internal sealed class Buffers(System.Collections.Concurrent.ConcurrentBag<byte[]> plaintexts)
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<byte[]> _plaintexts = plaintexts;
        private byte[] _window = [];

        public Memory<byte> Window(int length)
        {
            return BlobBuffers.Grow(ref _window, length).AsMemory(0, length);
        }

        public byte[] TakePlaintext() => _plaintexts.TryTake(out byte[]? plaintext) ? plaintext : [];

        public void ReturnPlaintext(byte[] plaintext)
        {
            if (plaintext.Length > 0)
            {
                _plaintexts.Add(plaintext);
            }
        }
    }
}
