// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Haven.Format.Chunking;

/// <summary>
/// The chunker's hot loop for input whose outgoing window bytes lie in the same span (at least
/// WindowSize bytes behind). It uses the linearity of the hash: removing byte o before shifting
/// in b equals shifting first and XOR-ing Out8[o], so the removal leaves the digest's dependency
/// chain, and four bytes advance the digest with one reduction of its top 32 bits.
/// </summary>
internal static class RabinScan
{
    internal const ulong SplitMask = (1UL << 20) - 1;

    /// <summary>
    /// Slides data[from..to) into <paramref name="digest"/>; returns the index of the first byte
    /// after which the low 20 bits are zero (the digest then includes that byte), or -1.
    /// Every index from <paramref name="from"/> − WindowSize on must already be in the window.
    /// </summary>
    public static int FindMaskCut(ReadOnlySpan<byte> data, int from, int to, ChunkerTables tables, ref ulong digest)
    {
        ref byte input = ref MemoryMarshal.GetReference(data);
        ref ulong t = ref MemoryMarshal.GetArrayDataReference(tables.All);
        int shift = tables.Shift;
        ulong d = digest;
        int i = from;

        if (tables.HasWideStep)
        {
            int topShift = shift - 24;
            ulong lowMask = (1UL << topShift) - 1;
            for (; i <= to - 4; i += 4)
            {
                ref byte next4 = ref Unsafe.Add(ref input, i);
                ref byte out4 = ref Unsafe.Add(ref input, i - ChunkerTables.WindowSize);

                // d·x^32 + b1b2b3b4 + Σ out[o_k]·x^(8(5−k)) mod P, the top 32 bits of d reduced by table.
                // The terms that do not depend on d come first, off the loop-carried chain.
                ulong input4 = ReadBigEndian(ref next4)
                    ^ Row(ref t, ChunkerTables.Out32, out4)
                    ^ Row(ref t, ChunkerTables.Out24, Unsafe.Add(ref out4, 1))
                    ^ Row(ref t, ChunkerTables.Out16, Unsafe.Add(ref out4, 2))
                    ^ Row(ref t, ChunkerTables.Out8, Unsafe.Add(ref out4, 3));
                ulong top = d >> topShift;
                ulong d4 = (input4 ^ ((d & lowMask) << 32))
                    ^ (Row(ref t, ChunkerTables.Top24, top >> 24) ^ Row(ref t, ChunkerTables.Top16, (byte)(top >> 16)))
                    ^ (Row(ref t, ChunkerTables.Top8, (byte)(top >> 8)) ^ Row(ref t, ChunkerTables.Top0, (byte)top));

                // The digests after the first three bytes matter only for the cut test, so their
                // byte-by-byte chain hangs off the loop-carried one and overlaps the next blocks.
                ulong d1 = Step(ref t, shift, d, next4, out4);
                ulong d2 = Step(ref t, shift, d1, Unsafe.Add(ref next4, 1), Unsafe.Add(ref out4, 1));
                ulong d3 = Step(ref t, shift, d2, Unsafe.Add(ref next4, 2), Unsafe.Add(ref out4, 2));

                // (x & mask) − 1 wraps to a negative number exactly when the masked bits are all zero.
                long anyCut = (long)(((d1 & SplitMask) - 1) | ((d2 & SplitMask) - 1) | ((d3 & SplitMask) - 1) | ((d4 & SplitMask) - 1));
                if (anyCut < 0)
                {
                    // Rare: redo this block one byte at a time to find the first cut.
                    break;
                }

                d = d4;
            }
        }

        for (; i < to; i++)
        {
            d = Step(ref t, shift, d, Unsafe.Add(ref input, i), Unsafe.Add(ref input, i - ChunkerTables.WindowSize));
            if ((d & SplitMask) == 0)
            {
                digest = d;
                return i;
            }
        }

        digest = d;
        return -1;
    }

    /// <summary>One byte: (d·x^8 + b) mod P, then remove the outgoing byte o.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ref ulong t, int shift, ulong d, byte b, byte o) =>
        ((d << 8) | b) ^ Row(ref t, ChunkerTables.Out8, o) ^ Row(ref t, ChunkerTables.Mod, d >> shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Row(ref ulong t, int row, ulong index) => Unsafe.Add(ref t, (nint)index + row);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadBigEndian(ref byte source)
    {
        uint value = Unsafe.ReadUnaligned<uint>(ref source);
        return BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
    }
}
