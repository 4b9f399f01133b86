// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;

namespace Haven.Format.Tests.Chunking;

/// <summary>Deterministic inputs for chunker tests (SplitMix64, so they never change between runtimes).</summary>
internal static class TestData
{
    public static byte[] Random(int length, ulong seed)
    {
        var data = new byte[length];
        Fill(data, seed);
        return data;
    }

    public static void Fill(Span<byte> destination, ulong seed)
    {
        ulong state = seed;
        Span<byte> word = stackalloc byte[8];
        for (int i = 0; i < destination.Length; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(word, Next(ref state));
            word[..Math.Min(8, destination.Length - i)].CopyTo(destination[i..]);
        }
    }

    /// <summary>A short random block repeated: its digests repeat too, so a cut is rare or never.</summary>
    public static void FillRepeating(Span<byte> destination, int period, ulong seed)
    {
        byte[] block = Random(period, seed);
        for (int i = 0; i < destination.Length; i += period)
        {
            block.AsSpan(0, Math.Min(period, destination.Length - i)).CopyTo(destination[i..]);
        }
    }

    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
