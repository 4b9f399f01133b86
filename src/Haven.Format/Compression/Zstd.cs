// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using ZstdSharp;

namespace Haven.Format.Compression;

/// <summary>
/// One standard zstd frame per call, no dictionary. Compressor and decompressor contexts are
/// expensive to create, so each thread keeps its own. Blobs go through the system's libzstd when it
/// loads (<see cref="NativeZstd"/>), else through the managed port; both write standard frames.
/// </summary>
public static class Zstd
{
    [ThreadStatic]
    private static Dictionary<int, Compressor>? s_compressors;

    [ThreadStatic]
    private static Compressor? s_blobCompressor;

    [ThreadStatic]
    private static Decompressor? s_decompressor;

    /// <summary>
    /// The hash table size (log2 of its entries) of <see cref="CompressBlob"/>: level 1's default
    /// for large inputs is 2^13; 2^16 finds most of what level 3 finds in backup data at level 1's speed.
    /// </summary>
    private const int BlobHashLog = 16;

    /// <summary>Whether frames are made and read by the system's libzstd.</summary>
    public static bool IsNative => NativeZstd.IsAvailable;

    public static byte[] Compress(ReadOnlySpan<byte> data, int level = 3)
    {
        byte[] buffer = new byte[CompressBound(data.Length)];
        int length = Compress(data, buffer, level);
        return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>The largest frame <see cref="Compress(ReadOnlySpan{byte}, Span{byte}, int)"/> can write for <paramref name="length"/> bytes.</summary>
    public static int CompressBound(int length) => IsNative ? checked((int)NativeZstd.CompressBound(length)) : Compressor.GetCompressBound(length);

    /// <summary>Writes one frame into <paramref name="destination"/> (at least <see cref="CompressBound"/> bytes); returns its length.</summary>
    public static int Compress(ReadOnlySpan<byte> data, Span<byte> destination, int level = 3)
    {
        if (IsNative)
        {
            return NativeZstd.Compress(data, destination, level);
        }

        s_compressors ??= [];
        if (!s_compressors.TryGetValue(level, out Compressor? compressor))
        {
            compressor = new Compressor(level);
            s_compressors.Add(level, compressor);
        }

        return compressor.Wrap(data, destination);
    }

    /// <summary>
    /// Writes one frame of blob data: level 1 with a 2^16-entry hash table. On the mixed bench data set
    /// cut into 1 MiB pieces this takes 0.26-0.31 CPU s per 317 MB against level 3's 0.38-0.40 s, for
    /// 0.7 % more output (level 1 as it comes: 1.5 % more), which keeps a repository within about 1 %
    /// of the size restic 0.14 writes with its "auto" setting. Any zstd decoder reads the frames.
    /// </summary>
    public static int CompressBlob(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (IsNative)
        {
            return NativeZstd.CompressFast(data, destination, BlobHashLog);
        }

        if (s_blobCompressor is null)
        {
            s_blobCompressor = new Compressor(1);
            s_blobCompressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_hashLog, BlobHashLog);
        }

        return s_blobCompressor.Wrap(data, destination);
    }

    /// <summary>
    /// Whether <see cref="CompressBlob"/> is likely to shrink <paramref name="data"/>, judged by compressing
    /// up to <see cref="ProbeSamples"/> evenly spaced pieces of <see cref="ProbeSampleSize"/> bytes: the first
    /// that shrinks by more than 1/32 settles it (text, database pages and zero runs do so at the first
    /// piece). Random bytes (media, archives, encrypted regions of disk images) cost zstd level 1 about as
    /// much CPU as text for no gain; this costs 8 pieces, 3 % of a 1 MiB chunk. Data shorter than
    /// <see cref="ProbeMinimum"/> is always worth a try.
    /// </summary>
    public static bool IsWorthCompressing(ReadOnlySpan<byte> data)
    {
        if (data.Length < ProbeMinimum)
        {
            return true;
        }

        Span<byte> frame = stackalloc byte[ProbeFrameSize];
        long stride = (data.Length - ProbeSampleSize) / (ProbeSamples - 1);
        for (int i = 0; i < ProbeSamples; i++)
        {
            var sample = data.Slice((int)(i * stride), ProbeSampleSize);
            if (CompressBlob(sample, frame) < ProbeSampleSize - (ProbeSampleSize / 32))
            {
                return true;
            }
        }

        return false;
    }

    public const int ProbeSampleSize = 4096;
    public const int ProbeSamples = 8;
    public const int ProbeMinimum = 64 * 1024;

    // ZSTD_compressBound(4096) is 4096 + 4096/256 + 64 (and the managed port's the same): room to spare.
    private const int ProbeFrameSize = ProbeSampleSize + 256;

    /// <summary>Decompresses a frame whose plaintext must be exactly <paramref name="expectedLength"/> bytes.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> frame, int expectedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLength);
        var output = new byte[expectedLength];
        int written;
        if (IsNative)
        {
            written = NativeZstd.Decompress(frame, output);
        }
        else
        {
            written = DecompressManaged(frame, output);
        }

        if (written != expectedLength)
        {
            throw new InvalidDataException($"zstd data decompressed to {written} bytes, expected {expectedLength}");
        }

        return output;
    }

    /// <summary>Decompresses a frame that must fill <paramref name="destination"/> exactly, without allocating.</summary>
    public static void Decompress(ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        int written = IsNative ? NativeZstd.Decompress(frame, destination) : DecompressManaged(frame, destination);
        if (written != destination.Length)
        {
            throw new InvalidDataException($"zstd data decompressed to {written} bytes, expected {destination.Length}");
        }
    }

    private static int DecompressManaged(ReadOnlySpan<byte> frame, Span<byte> output)
    {
        int expectedLength = output.Length;
        try
        {
            return (s_decompressor ??= new Decompressor()).Unwrap(frame, output);
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"zstd data does not decompress to {expectedLength} bytes: {e.Message}", e);
        }
    }

    /// <summary>Decompresses frames that may lack a content size, as restic writes for unpacked files.</summary>
    public static byte[] DecompressUnknownSize(ReadOnlySpan<byte> frame)
    {
        // The native decoder when the headers give the size (Haven's frames and restic's do): the
        // managed stream decoder costs a JIT of large methods in every command that reads an index.
        if (IsNative && NativeZstd.DecompressKnownSize(frame) is { } known)
        {
            return known;
        }

        try
        {
            using var input = new MemoryStream(frame.ToArray(), writable: false);
            using var stream = new DecompressionStream(input);
            using var output = new MemoryStream(Math.Max(256, frame.Length * 4));
            stream.CopyTo(output);
            return output.ToArray();
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"zstd data is corrupt: {e.Message}", e);
        }
    }
}
