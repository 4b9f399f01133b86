// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using ZstdSharp;

namespace Haven.Format.Compression;

/// <summary>
/// One standard zstd frame per call, no dictionary. Compressor and decompressor contexts are
/// expensive to create, so each thread keeps its own.
/// </summary>
public static class Zstd
{
    [ThreadStatic]
    private static Dictionary<int, Compressor>? s_compressors;

    [ThreadStatic]
    private static Decompressor? s_decompressor;

    public static byte[] Compress(ReadOnlySpan<byte> data, int level = 3)
    {
        s_compressors ??= [];
        if (!s_compressors.TryGetValue(level, out Compressor? compressor))
        {
            compressor = new Compressor(level);
            s_compressors.Add(level, compressor);
        }

        return compressor.Wrap(data).ToArray();
    }

    /// <summary>Decompresses a frame whose plaintext must be exactly <paramref name="expectedLength"/> bytes.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> frame, int expectedLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLength);
        var output = new byte[expectedLength];
        int written;
        try
        {
            written = (s_decompressor ??= new Decompressor()).Unwrap(frame, output);
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"zstd data does not decompress to {expectedLength} bytes: {e.Message}", e);
        }

        if (written != expectedLength)
        {
            throw new InvalidDataException($"zstd data decompressed to {written} bytes, expected {expectedLength}");
        }

        return output;
    }

    /// <summary>Decompresses frames that may lack a content size, as restic writes for unpacked files.</summary>
    public static byte[] DecompressUnknownSize(ReadOnlySpan<byte> frame)
    {
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
