// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;

namespace Haven.Format.Chunking;

/// <summary>
/// The per-polynomial lookup tables of the rolling Rabin hash, computed once per polynomial and
/// shared by every chunker in the process (they are never written after construction). All
/// tables sit in one array of 256-entry rows so the hot loop needs a single base register.
/// </summary>
internal sealed class ChunkerTables
{
    internal const int WindowSize = 64;

    /// <summary>Row offsets into <see cref="All"/>.</summary>
    internal const int Out = 0, Mod = 256, Out8 = 512, Out16 = 768, Out24 = 1024, Out32 = 1280,
        Top0 = 1536, Top8 = 1792, Top16 = 2048, Top24 = 2304;

    private static readonly ConcurrentDictionary<ulong, ChunkerTables> s_cache = new();

    private ChunkerTables(Polynomial polynomial)
    {
        ulong p = polynomial.Value;
        int degree = polynomial.Degree;
        Shift = degree - 8;
        for (int b = 0; b < 256; b++)
        {
            // Out: the fingerprint of b followed by WindowSize−1 zero bytes. XOR-ing it into the
            // digest removes b from the front of the window (the hash is linear over GF(2)).
            ulong h = Polynomial.Mod((ulong)b, p);
            for (int i = 0; i < WindowSize - 1; i++)
            {
                h = Polynomial.Mod(h << 8, p);
            }

            All[Out + b] = h;

            // OutK: the same removal seen K bits of shifting later, for the 4-byte step.
            for (int k = 1; k <= 4; k++)
            {
                h = Polynomial.Mod(h << 8, p);
                All[Out + (256 * (k + 1)) + b] = h;
            }

            // Mod: (b·x^deg mod P) | b·x^deg. The byte b above the degree indexes the row and the
            // second half cancels it, so one XOR reduces the shifted digest completely.
            ulong high = (ulong)b << degree;
            All[Mod + b] = Polynomial.Mod(high, p) | high;

            // TopK: b·x^(deg+K) mod P, reducing the four bytes above the degree at once.
            for (int k = 0; k < 4; k++)
            {
                All[Top0 + (256 * k) + b] = MulXPower(Polynomial.Mod(high, p), 8 * k, p);
            }
        }
    }

    /// <summary>deg(P) − 8: the digest shifted right by this is the byte about to overflow.</summary>
    public int Shift { get; }

    /// <summary>Whether the 4-byte step applies: it keeps 32 bits of input below the degree.</summary>
    public bool HasWideStep => Shift >= 24;

    public ulong[] All { get; } = new ulong[Top24 + 256];

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

    private static ulong MulXPower(ulong value, int bits, ulong p)
    {
        for (int i = 0; i < bits; i++)
        {
            value = Polynomial.Mod(value << 1, p);
        }

        return value;
    }
}
