// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using Haven.Format.Compression;
using Haven.Format.Crypto;
using Haven.Format.Diagnostics;

namespace Haven.Format.Packs;

/// <summary>Turns blob plaintext into what a pack stores (optionally zstd, then sealed) and back.</summary>
public static class BlobCodec
{
    /// <summary>
    /// Seals a blob. With <paramref name="compress"/>, non-empty plaintext is compressed first unless a probe
    /// finds it incompressible (<see cref="Zstd.IsWorthCompressing"/>), and <paramref name="uncompressedLength"/>
    /// is its length; 0 when it is stored uncompressed.
    /// </summary>
    public static byte[] Seal(MasterKey key, ReadOnlySpan<byte> plaintext, bool compress, out uint uncompressedLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!compress || plaintext.IsEmpty)
        {
            uncompressedLength = 0;
            return key.Seal(plaintext);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(SealedBound(plaintext.Length, compress));
        try
        {
            int length = Seal(key, plaintext, compress, buffer, out uncompressedLength);
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The most bytes <see cref="Seal(MasterKey, ReadOnlySpan{byte}, bool, Span{byte}, out uint)"/> writes for <paramref name="length"/> bytes of plaintext.</summary>
    public static int SealedBound(int length, bool compress) =>
        (compress && length > 0 ? Zstd.CompressBound(length) : length) + MasterKey.Overhead;

    /// <summary>
    /// Seals a blob into <paramref name="destination"/> (at least <see cref="SealedBound"/> bytes) and
    /// returns its sealed length. The zstd frame is written where its ciphertext goes and encrypted in
    /// place: no buffer in between and no copy.
    /// </summary>
    public static int Seal(MasterKey key, ReadOnlySpan<byte> plaintext, bool compress, Span<byte> destination, out uint uncompressedLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!compress || plaintext.IsEmpty)
        {
            uncompressedLength = 0;
            return key.Seal(plaintext, destination);
        }

        long started = StageClock.Start();
        if (!Zstd.IsWorthCompressing(plaintext))
        {
            // Stored as it is (restic's format allows uncompressed blobs in a compressed repository).
            started = StageClock.Lap(Stage.Compress, started, 0);
            uncompressedLength = 0;
            int rawLength = key.Seal(plaintext, destination);
            StageClock.Stop(Stage.Encrypt, started, plaintext.Length);
            return rawLength;
        }

        uncompressedLength = (uint)plaintext.Length;
        Span<byte> frame = destination[MasterKey.IvSize..^Poly1305Aes.TagSize];
        int length = Zstd.CompressBlob(plaintext, frame);
        started = StageClock.Lap(Stage.Compress, started, plaintext.Length);
        int sealedLength = key.Seal(frame[..length], destination);
        StageClock.Stop(Stage.Encrypt, started, length);
        return sealedLength;
    }

    public static byte[] Open(MasterKey key, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        long started = StageClock.Start();
        byte[] plain = key.Open(sealedBlob);
        started = StageClock.Lap(Stage.Decrypt, started, sealedBlob.Length);
        if (uncompressedLength == 0)
        {
            return plain;
        }

        if (uncompressedLength > int.MaxValue)
        {
            throw new InvalidDataException($"uncompressed length {uncompressedLength} is too large for one blob");
        }

        byte[] decompressed = Zstd.Decompress(plain, (int)uncompressedLength);
        StageClock.Stop(Stage.Decompress, started, decompressed.Length);
        return decompressed;
    }

    /// <summary>
    /// Opens a blob into <paramref name="destination"/>, which must be exactly its plaintext length,
    /// without allocating: a compressed blob is decrypted in place, inside <paramref name="sealedBlob"/>
    /// (which is overwritten), and decompressed from there. For hot loops over many blobs.
    /// </summary>
    public static void OpenInPlace(MasterKey key, Span<byte> sealedBlob, uint uncompressedLength, Span<byte> destination) =>
        Open(key, sealedBlob, uncompressedLength, InPlaceScratch(sealedBlob), destination);

    /// <summary>
    /// The part of <paramref name="sealedBlob"/> that <see cref="Open"/> can decrypt into, so that it opens
    /// in place: safe, as the tag is checked first and CTR reads each byte before writing it.
    /// </summary>
    public static Span<byte> InPlaceScratch(Span<byte> sealedBlob) =>
        sealedBlob.Length >= MasterKey.Overhead ? sealedBlob[MasterKey.IvSize..] : sealedBlob;

    /// <summary>
    /// Opens a blob that must not be written to (a mapped view of a pack) into <paramref name="destination"/>,
    /// exactly its plaintext length; a compressed blob is decrypted into <paramref name="scratch"/>
    /// (at least the sealed length) and decompressed from there.
    /// </summary>
    public static void Open(MasterKey key, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength, Span<byte> scratch, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        long started = StageClock.Start();
        if (uncompressedLength == 0)
        {
            if (key.Open(sealedBlob, destination) != destination.Length)
            {
                throw new InvalidDataException($"the blob opened to {sealedBlob.Length - MasterKey.Overhead} bytes, expected {destination.Length}");
            }

            StageClock.Stop(Stage.Decrypt, started, sealedBlob.Length);
            return;
        }

        if (uncompressedLength != (uint)destination.Length)
        {
            throw new InvalidDataException($"the blob decompresses to {uncompressedLength} bytes, the destination holds {destination.Length}");
        }

        int frameLength = key.Open(sealedBlob, scratch);
        started = StageClock.Lap(Stage.Decrypt, started, sealedBlob.Length);
        Zstd.Decompress(scratch[..frameLength], destination);
        StageClock.Stop(Stage.Decompress, started, destination.Length);
    }
}
