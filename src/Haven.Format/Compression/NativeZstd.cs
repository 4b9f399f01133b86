// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Haven.Format.Compression;

/// <summary>
/// The system's libzstd (Debian's libzstd1), about five times faster than the managed port. Used
/// when the library loads; <see cref="IsAvailable"/> is false otherwise and callers fall back.
/// </summary>
internal static partial class NativeZstd
{
    private const string Library = "libzstd.so.1";

    private static readonly Lazy<bool> s_available = new(Probe);

    [ThreadStatic]
    private static ContextHandle? s_compressor;

    [ThreadStatic]
    private static ContextHandle? s_blobCompressor;

    [ThreadStatic]
    private static ContextHandle? s_decompressor;

    // ZSTD_cParameter values (zstd.h, stable since 1.4.0).
    private const int CompressionLevelParameter = 100;
    private const int HashLogParameter = 102;

    public static bool IsAvailable => s_available.Value;

    public static nuint CompressBound(int length) => ZSTD_compressBound((nuint)length);

    /// <summary>Writes one frame (with its content size) into <paramref name="destination"/>; returns its length.</summary>
    public static unsafe int Compress(ReadOnlySpan<byte> data, Span<byte> destination, int level)
    {
        s_compressor ??= new ContextHandle(ZSTD_createCCtx(), compressor: true);
        nuint result;
        fixed (byte* source = data)
        fixed (byte* target = destination)
        {
            result = ZSTD_compressCCtx(s_compressor, target, (nuint)destination.Length, source, (nuint)data.Length, level);
        }

        if (ZSTD_isError(result) != 0)
        {
            throw new InvalidOperationException($"zstd compression failed: {ErrorName(result)}");
        }

        return (int)result;
    }

    /// <summary>
    /// Writes one frame with level 1 and a hash table of 2^<paramref name="hashLog"/> entries; the
    /// parameters stay on this thread's context, so they are set only when it is made.
    /// </summary>
    public static unsafe int CompressFast(ReadOnlySpan<byte> data, Span<byte> destination, int hashLog)
    {
        if (s_blobCompressor is null)
        {
            var context = new ContextHandle(ZSTD_createCCtx(), compressor: true);
            Check(ZSTD_CCtx_setParameter(context, CompressionLevelParameter, 1));
            Check(ZSTD_CCtx_setParameter(context, HashLogParameter, hashLog));
            s_blobCompressor = context;
        }

        nuint result;
        fixed (byte* source = data)
        fixed (byte* target = destination)
        {
            result = ZSTD_compress2(s_blobCompressor, target, (nuint)destination.Length, source, (nuint)data.Length);
        }

        return (int)Check(result);
    }

    /// <summary>
    /// Decompresses frames whose headers all carry their content size into a new array; null when a
    /// frame lacks it (or claims more than an array holds), for the caller's streaming fallback.
    /// </summary>
    public static unsafe byte[]? DecompressKnownSize(ReadOnlySpan<byte> frames)
    {
        ulong size;
        fixed (byte* source = frames)
        {
            size = ZSTD_findDecompressedSize(source, (nuint)frames.Length);
        }

        // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR are the two largest values, far above Array.MaxLength.
        if (size > (ulong)Array.MaxLength)
        {
            return null;
        }

        byte[] output = GC.AllocateUninitializedArray<byte>((int)size);
        if (Decompress(frames, output) != output.Length)
        {
            throw new InvalidDataException($"zstd data decompressed to fewer bytes than its header's {size}");
        }

        return output;
    }

    /// <summary>Decompresses one frame into <paramref name="destination"/>; returns the bytes written.</summary>
    public static unsafe int Decompress(ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        s_decompressor ??= new ContextHandle(ZSTD_createDCtx(), compressor: false);
        nuint result;
        fixed (byte* source = frame)
        fixed (byte* target = destination)
        {
            result = ZSTD_decompressDCtx(s_decompressor, target, (nuint)destination.Length, source, (nuint)frame.Length);
        }

        if (ZSTD_isError(result) != 0)
        {
            throw new InvalidDataException($"zstd data does not decompress to {destination.Length} bytes: {ErrorName(result)}");
        }

        return (int)result;
    }

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("HAVEN_ZSTD") == "managed")
        {
            return false;
        }

        try
        {
            return ZSTD_versionNumber() >= 10400;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    private static nuint Check(nuint result) =>
        ZSTD_isError(result) != 0 ? throw new InvalidOperationException($"zstd compression failed: {ErrorName(result)}") : result;

    private static string ErrorName(nuint code) => Marshal.PtrToStringUTF8(ZSTD_getErrorName(code)) ?? $"error {code}";

    [LibraryImport(Library)]
    private static partial uint ZSTD_versionNumber();

    [LibraryImport(Library)]
    private static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(Library)]
    private static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Library)]
    private static partial IntPtr ZSTD_getErrorName(nuint code);

    [LibraryImport(Library)]
    private static partial IntPtr ZSTD_createCCtx();

    [LibraryImport(Library)]
    private static partial nuint ZSTD_freeCCtx(IntPtr cctx);

    [LibraryImport(Library)]
    private static unsafe partial nuint ZSTD_compressCCtx(ContextHandle cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int compressionLevel);

    [LibraryImport(Library)]
    private static partial nuint ZSTD_CCtx_setParameter(ContextHandle cctx, int parameter, int value);

    [LibraryImport(Library)]
    private static unsafe partial nuint ZSTD_compress2(ContextHandle cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(Library)]
    private static unsafe partial ulong ZSTD_findDecompressedSize(byte* src, nuint srcSize);

    [LibraryImport(Library)]
    private static partial IntPtr ZSTD_createDCtx();

    [LibraryImport(Library)]
    private static partial nuint ZSTD_freeDCtx(IntPtr dctx);

    [LibraryImport(Library)]
    private static unsafe partial nuint ZSTD_decompressDCtx(ContextHandle dctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    /// <summary>A compression or decompression context, freed when its thread's reference goes away.</summary>
    private sealed class ContextHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        private readonly bool _compressor;

        public ContextHandle(IntPtr handle, bool compressor)
            : base(ownsHandle: true)
        {
            if (handle == IntPtr.Zero)
            {
                throw new OutOfMemoryException("zstd could not allocate a context");
            }

            SetHandle(handle);
            _compressor = compressor;
        }

        protected override bool ReleaseHandle()
        {
            _ = _compressor ? ZSTD_freeCCtx(handle) : ZSTD_freeDCtx(handle);
            return true;
        }
    }
}
