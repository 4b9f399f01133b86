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

    /// <summary>
    /// The lanes running at once hold 1/VShare of one V between them: with the runtime's own pages, a whole V
    /// (32 MiB, what restic holds) would put every command's peak above restic's. Half costs each lane about 1.3×
    /// instead of 1.1× (two lanes at once), still well below restic's one-lane-at-a-time wall time.
    /// </summary>
    private const int VShare = 2;

    /// <summary>
    /// scrypt with the p lanes spread over the processor count, all lanes that run at once sharing half the memory of
    /// one V (128·r·N bytes is what restic's one-lane-at-a-time scrypt holds).
    /// </summary>
    public static void Derive(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, Span<byte> output) =>
        Derive(password, salt, n, r, p, output, Workers(p, Environment.ProcessorCount));

    /// <summary>
    /// scrypt with the p independent lanes (RoMix of each 128·r-byte block of B) run <paramref name="workers"/> at a
    /// time, in rounds. The lanes of a round share half a V's worth of memory: with m lanes running, each stores only
    /// every (2m)-th entry of its V and recomputes the others from the nearest stored one
    /// (<paramref name="storeEvery"/> forces that stride instead, for tests).
    /// </summary>
    internal static void Derive(
        ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int n, int r, int p, Span<byte> output, int workers, int storeEvery = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(storeEvery);
        int blockBytes = 128 * r;
        int blockVectors = 2 * r * VectorsPerSalsaBlock;
        workers = Math.Min(workers, p);
        int remainder = p % workers;

        // All lanes' V in one block outside the GC heap: freed right after, it goes back to the system instead of
        // staying in the process as large-object-heap garbage, and each round reuses the pages the last one touched.
        // With a stride that does not divide N the lanes' shares round up, by less than one entry each.
        long entries = Math.Max(
            (long)workers * StoredEntries(n, Stride(workers)),
            remainder > 0 ? (long)remainder * StoredEntries(n, Stride(remainder)) : 0);
        nuint vBytes = (nuint)entries * (nuint)blockVectors * (nuint)Unsafe.SizeOf<Vector128<uint>>();
        byte[] b = new byte[p * blockBytes];
        unsafe
        {
            Vector128<uint>* vMemory = (Vector128<uint>*)NativeMemory.AlignedAlloc(vBytes, 64);
            try
            {
                Rfc2898DeriveBytes.Pbkdf2(password, salt, b, 1, HashAlgorithmName.SHA256);
                for (int first = 0; first < p; first += workers)
                {
                    int running = Math.Min(workers, p - first);
                    int stride = Stride(running);
                    var round = new Round(b, vMemory, n, r, first, stride, StoredEntries(n, stride) * blockVectors);
                    if (running == 1)
                    {
                        round.Mix(0);
                    }
                    else
                    {
                        Parallel.For(0, running, new ParallelOptions { MaxDegreeOfParallelism = running }, round.Mix);
                    }
                }

                Rfc2898DeriveBytes.Pbkdf2(password, b, output, 1, HashAlgorithmName.SHA256);
            }
            finally
            {
                NativeMemory.Clear(vMemory, vBytes);
                NativeMemory.AlignedFree(vMemory);
                CryptographicOperations.ZeroMemory(b);
            }
        }

        int Stride(int running) => storeEvery > 0 ? storeEvery : running * VShare;
    }

    /// <summary>
    /// How many lanes to run at once on <paramref name="cores"/> cores for the least wall time, when m lanes at once
    /// each store every s-th entry of V (s = VShare·m). A lane then costs 2N BlockMix plus (s−1)/2 per lookup on average
    /// to recompute the entry, but those run on cached data while the plain lookups miss the cache: measured (N=32768,
    /// r=8, one thread), a lane costs 1.05× with s=2 and 1.38× with s=4, about 1 + (s−1)/8. Ties go to fewer workers
    /// (less CPU).
    /// </summary>
    internal static int Workers(int p, int cores)
    {
        int best = 1;
        double bestWall = double.MaxValue;
        for (int workers = 1; workers <= Math.Min(p, Math.Max(cores, 1)); workers++)
        {
            int remainder = p % workers;
            double wall = (p / workers * LaneCost(workers * VShare)) + (remainder > 0 ? LaneCost(remainder * VShare) : 0);
            if (wall < bestWall - 1e-9)
            {
                best = workers;
                bestWall = wall;
            }
        }

        return best;

        static double LaneCost(int stride) => 1 + ((stride - 1) / 8.0);
    }

    private static int StoredEntries(int n, int stride) => (int)(((long)n + stride - 1) / stride);

    /// <summary>One round of lanes: lane <c>first + i</c> on V slice i.</summary>
    private readonly unsafe struct Round(byte[] b, Vector128<uint>* v, int n, int r, int first, int stride, int sliceVectors)
    {
        public void Mix(int index)
        {
            int blockBytes = 128 * r;
            int blockVectors = 2 * r * VectorsPerSalsaBlock;
            var slice = new Span<Vector128<uint>>(v + ((nint)index * sliceVectors), sliceVectors);
            var x = new Vector128<uint>[blockVectors];
            var y = new Vector128<uint>[blockVectors];
            var t = stride > 1 ? new Vector128<uint>[blockVectors] : x;
            var u = stride > 1 ? new Vector128<uint>[blockVectors] : y;
            Span<byte> block = b.AsSpan((first + index) * blockBytes, blockBytes);
            try
            {
                Load(block, x);
                if (stride == 1)
                {
                    RoMix(x, y, slice, n, r);
                }
                else
                {
                    RoMix(x, y, t, u, slice, n, r, stride);
                }

                Store(x, block);
            }
            finally
            {
                Array.Clear(x);
                Array.Clear(y);
                Array.Clear(t);
                Array.Clear(u);
            }
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

    /// <summary>
    /// RoMix keeping only V[0], V[stride], V[2·stride], …: V[j] is BlockMix applied j mod stride times to the stored
    /// entry before it (the first loop's chain), so the second loop recomputes it in <paramref name="t"/>.
    /// </summary>
    private static void RoMix(
        Vector128<uint>[] x, Vector128<uint>[] y, Vector128<uint>[] t, Vector128<uint>[] u, Span<Vector128<uint>> v, int n, int r, int stride)
    {
        int blockVectors = x.Length;
        for (int i = 0, sinceStored = 0; i < n; i++, sinceStored++)
        {
            if (sinceStored == stride)
            {
                sinceStored = 0;
            }

            if (sinceStored == 0)
            {
                x.CopyTo(v.Slice(i / stride * blockVectors, blockVectors));
            }

            BlockMix(x, y, r);
            (x, y) = (y, x);
        }

        int last = (2 * r - 1) * VectorsPerSalsaBlock;
        for (int i = 0; i < n; i++)
        {
            int j = (int)(x[last].GetElement(0) & (uint)(n - 1));
            int stored = j / stride;
            ReadOnlySpan<Vector128<uint>> vj = v.Slice(stored * blockVectors, blockVectors);
            int steps = j - (stored * stride);
            if (steps > 0)
            {
                BlockMix(vj, t, r);
                for (int s = 1; s < steps; s++)
                {
                    BlockMix(t, u, r);
                    (t, u) = (u, t);
                }

                vj = t;
            }

            for (int k = 0; k < blockVectors; k++)
            {
                x[k] ^= vj[k];
            }

            BlockMix(x, y, r);
            (x, y) = (y, x);
        }
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
