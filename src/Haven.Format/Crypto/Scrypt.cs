// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Haven.Format.Crypto;

/// <summary>
/// scrypt (RFC 7914) with Salsa20/8 on 128-bit vectors. Every repository command derives a key once,
/// so this is part of each command's fixed cost. Each 64-byte Salsa block is kept in the diagonal
/// order of Percival's SSE2 code (stored word p is word 5p mod 16), which turns the column and row
/// rounds into whole-vector operations; XOR, addition and Integerify's word 0 are unaffected by it.
/// </summary>
internal static class Scrypt
{
    private const int VectorsPerSalsaBlock = 4;

    /// <summary>scrypt with the p lanes spread over min(p, processor count) threads.</summary>
    public static void Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, Span<byte> output) =>
        Derive(password, salt, n, r, p, output, Math.Min(p, Environment.ProcessorCount));

    /// <summary>
    /// scrypt with the p independent lanes (RoMix of each 128·r-byte block of B) on <paramref name="workers"/>
    /// threads. Each worker has its own V, so memory is workers × 128·r·N bytes while it runs.
    /// </summary>
    internal static void Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, Span<byte> output, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        int blockBytes = 128 * r;
        byte[] b = new byte[p * blockBytes];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, b, 1, HashAlgorithmName.SHA256);
            workers = Math.Min(workers, p);
            if (workers == 1)
            {
                MixLanes(b, n, r, 0, 1);
            }
            else
            {
                // Lanes are a fixed share per worker (worker w takes w, w + workers, …), never work stealing, so
                // no more than `workers` V buffers ever exist at once.
                var options = new ParallelOptions { MaxDegreeOfParallelism = workers };
                Parallel.For(0, workers, options, worker => MixLanes(b, n, r, worker, workers));
            }

            Rfc2898DeriveBytes.Pbkdf2(password, b, output, 1, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(b);
        }
    }

    private static unsafe void MixLanes(byte[] b, int n, int r, int first, int stride)
    {
        int blockBytes = 128 * r;
        int blockVectors = 2 * r * VectorsPerSalsaBlock;
        int lanes = b.Length / blockBytes;

        // V (32 MiB for the usual N=32768, r=8) lives outside the GC heap: freed right after, it goes
        // back to the system instead of staying in the process as large-object-heap garbage.
        nuint vBytes = (nuint)n * (nuint)blockVectors * (nuint)Unsafe.SizeOf<Vector128<uint>>();
        Vector128<uint>* vMemory = (Vector128<uint>*)NativeMemory.AlignedAlloc(vBytes, 64);
        var v = new Span<Vector128<uint>>(vMemory, n * blockVectors);
        var x = new Vector128<uint>[blockVectors];
        var y = new Vector128<uint>[blockVectors];
        try
        {
            for (int i = first; i < lanes; i += stride)
            {
                Span<byte> block = b.AsSpan(i * blockBytes, blockBytes);
                Load(block, x);
                RoMix(x, y, v, n, r);
                Store(x, block);
            }
        }
        finally
        {
            NativeMemory.Clear(vMemory, vBytes);
            NativeMemory.AlignedFree(vMemory);
            Array.Clear(x);
            Array.Clear(y);
        }
    }

    private static void RoMix(Vector128<uint>[] x, Vector128<uint>[] y, Span<Vector128<uint>> v, int n, int r)
    {
        int blockVectors = x.Length;
        for (int i = 0; i < n; i++)
        {
            x.CopyTo(v.Slice(i * blockVectors, blockVectors));
            BlockMix(x, y, r);
            (x, y) = (y, x);
        }

        int last = (2 * r - 1) * VectorsPerSalsaBlock;
        for (int i = 0; i < n; i++)
        {
            // Integerify: word 0 of the last Salsa block, which the diagonal order leaves in place.
            int j = (int)(x[last].GetElement(0) & (uint)(n - 1));
            ReadOnlySpan<Vector128<uint>> vj = v.Slice(j * blockVectors, blockVectors);
            for (int k = 0; k < blockVectors; k++)
            {
                x[k] ^= vj[k];
            }

            BlockMix(x, y, r);
            (x, y) = (y, x);
        }

        // After 2n swaps x is again the array the caller passed in, holding the result.
    }

    /// <summary>Y = BlockMix(B): even Salsa blocks to the first half of Y, odd ones to the second.</summary>
    private static void BlockMix(ReadOnlySpan<Vector128<uint>> b, Span<Vector128<uint>> y, int r)
    {
        int last = (2 * r - 1) * VectorsPerSalsaBlock;
        Vector128<uint> x0 = b[last], x1 = b[last + 1], x2 = b[last + 2], x3 = b[last + 3];
        for (int i = 0; i < 2 * r; i++)
        {
            int from = i * VectorsPerSalsaBlock;
            x0 ^= b[from];
            x1 ^= b[from + 1];
            x2 ^= b[from + 2];
            x3 ^= b[from + 3];
            Salsa208(ref x0, ref x1, ref x2, ref x3);
            int to = ((i >> 1) + ((i & 1) * r)) * VectorsPerSalsaBlock;
            y[to] = x0;
            y[to + 1] = x1;
            y[to + 2] = x2;
            y[to + 3] = x3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Salsa208(ref Vector128<uint> x0, ref Vector128<uint> x1, ref Vector128<uint> x2, ref Vector128<uint> x3)
    {
        Vector128<uint> a = x0, b = x1, c = x2, d = x3;
        for (int round = 0; round < 8; round += 2)
        {
            // Columns.
            b ^= RotateLeft(a + d, 7);
            c ^= RotateLeft(b + a, 9);
            d ^= RotateLeft(c + b, 13);
            a ^= RotateLeft(d + c, 18);
            b = Vector128.Shuffle(b, Vector128.Create(3u, 0, 1, 2));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(1u, 2, 3, 0));

            // Rows.
            d ^= RotateLeft(a + b, 7);
            c ^= RotateLeft(d + a, 9);
            b ^= RotateLeft(c + d, 13);
            a ^= RotateLeft(b + c, 18);
            b = Vector128.Shuffle(b, Vector128.Create(1u, 2, 3, 0));
            c = Vector128.Shuffle(c, Vector128.Create(2u, 3, 0, 1));
            d = Vector128.Shuffle(d, Vector128.Create(3u, 0, 1, 2));
        }

        x0 += a;
        x1 += b;
        x2 += c;
        x3 += d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RotateLeft(Vector128<uint> value, int count) =>
        Vector128.ShiftLeft(value, count) | Vector128.ShiftRightLogical(value, 32 - count);

    /// <summary>Little-endian words of <paramref name="block"/> into diagonal order.</summary>
    private static void Load(ReadOnlySpan<byte> block, Span<Vector128<uint>> target)
    {
        Span<uint> words = stackalloc uint[16];
        for (int s = 0; s < target.Length / VectorsPerSalsaBlock; s++)
        {
            ReadOnlySpan<byte> salsa = block.Slice(s * 64, 64);
            for (int i = 0; i < 16; i++)
            {
                words[i] = BinaryPrimitives.ReadUInt32LittleEndian(salsa[(5 * i % 16 * 4)..]);
            }

            for (int q = 0; q < VectorsPerSalsaBlock; q++)
            {
                target[(s * VectorsPerSalsaBlock) + q] = Vector128.Create(words[q * 4], words[(q * 4) + 1], words[(q * 4) + 2], words[(q * 4) + 3]);
            }
        }

        words.Clear();
    }

    private static void Store(ReadOnlySpan<Vector128<uint>> source, Span<byte> block)
    {
        for (int s = 0; s < source.Length / VectorsPerSalsaBlock; s++)
        {
            Span<byte> salsa = block.Slice(s * 64, 64);
            for (int i = 0; i < 16; i++)
            {
                uint word = source[(s * VectorsPerSalsaBlock) + (i / 4)].GetElement(i % 4);
                BinaryPrimitives.WriteUInt32LittleEndian(salsa[(5 * i % 16 * 4)..], word);
            }
        }
    }
}
