// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using Haven.Format.Compression;
using Haven.Format.Crypto;

namespace Haven.Format.Packs;

/// <summary>Turns blob plaintext into what a pack stores (optionally zstd, then sealed) and back.</summary>
public static class BlobCodec
{
    /// <summary>
    /// Seals a blob. With <paramref name="compress"/>, non-empty plaintext is compressed first (even when
    /// that makes it larger, as restic does) and <paramref name="uncompressedLength"/> is its length; else 0.
    /// </summary>
    public static byte[] Seal(MasterKey key, ReadOnlySpan<byte> plaintext, bool compress, out uint uncompressedLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!compress || plaintext.IsEmpty)
        {
            uncompressedLength = 0;
            return key.Seal(plaintext);
        }

        uncompressedLength = (uint)plaintext.Length;
        byte[] frame = ArrayPool<byte>.Shared.Rent(Zstd.CompressBound(plaintext.Length));
        try
        {
            int length = Zstd.Compress(plaintext, frame);
            return key.Seal(frame.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public static byte[] Open(MasterKey key, ReadOnlySpan<byte> sealedBlob, uint uncompressedLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] plain = key.Open(sealedBlob);
        if (uncompressedLength == 0)
        {
            return plain;
        }

        if (uncompressedLength > int.MaxValue)
        {
            throw new InvalidDataException($"uncompressed length {uncompressedLength} is too large for one blob");
        }

        return Zstd.Decompress(plain, (int)uncompressedLength);
    }

    /// <summary>
    /// Opens a blob into <paramref name="destination"/>, which must be exactly its plaintext length,
    /// without allocating: a compressed blob is decrypted in place, inside <paramref name="sealedBlob"/>
    /// (which is overwritten), and decompressed from there. For hot loops over many blobs.
    /// </summary>
    public static void OpenInPlace(MasterKey key, Span<byte> sealedBlob, uint uncompressedLength, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (uncompressedLength == 0)
        {
            if (key.Open(sealedBlob, destination) != destination.Length)
            {
                throw new InvalidDataException($"the blob opened to {sealedBlob.Length - MasterKey.Overhead} bytes, expected {destination.Length}");
            }

            return;
        }

        if (uncompressedLength != (uint)destination.Length)
        {
            throw new InvalidDataException($"the blob decompresses to {uncompressedLength} bytes, the destination holds {destination.Length}");
        }

        Zstd.Decompress(key.OpenInPlace(sealedBlob), destination);
    }
}
