// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;

namespace Haven.Format.Chunking;

/// <summary>
/// The per-polynomial lookup tables of the rolling Rabin hash, computed once per polynomial and
/// shared by every chunker in the process (they are never written after construction).
/// </summary>
internal sealed class ChunkerTables
{
    internal const int WindowSize = 64;

    private static readonly ConcurrentDictionary<ulong, ChunkerTables> s_cache = new();

    private ChunkerTables(Polynomial polynomial)
    {
        ulong p = polynomial.Value;
        int degree = polynomial.Degree;
        Shift = degree - 8;

        // Out[b] is the fingerprint of b followed by WindowSize−1 zero bytes. XOR-ing it into the
        // digest removes b from the front of the window (the hash is linear over GF(2)).
        for (int b = 0; b < 256; b++)
        {
            ulong h = Polynomial.Mod((ulong)b, p);
            for (int i = 0; i < WindowSize - 1; i++)
            {
                h = Polynomial.Mod(h << 8, p);
            }

            Out[b] = h;
        }

        // Mod[t] = (t·x^deg mod P) | t·x^deg: the top byte t above the degree indexes the table and
        // its second half cancels that byte, so one XOR reduces the shifted digest completely.
        for (int t = 0; t < 256; t++)
        {
            ulong high = (ulong)t << degree;
            Mod[t] = Polynomial.Mod(high, p) | high;
        }
    }

    /// <summary>deg(P) − 8: the digest shifted right by this is the byte about to overflow.</summary>
    public int Shift { get; }

    public ulong[] Out { get; } = new ulong[256];

    public ulong[] Mod { get; } = new ulong[256];

    /// <exception cref="ArgumentException">The degree is outside 8..53, where the tables do not work.</exception>
    public static ChunkerTables For(Polynomial polynomial)
    {
        int degree = polynomial.Degree;
        if (degree is < 8 or > 53)
        {
            throw new ArgumentException(
                $"chunker polynomial {polynomial} has degree {degree}; it must be between 8 and 53",
                nameof(polynomial));
        }

        return s_cache.GetOrAdd(polynomial.Value, static value => new ChunkerTables(new Polynomial(value)));
    }
}
