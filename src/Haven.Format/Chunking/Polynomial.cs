// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Numerics;

namespace Haven.Format.Chunking;

/// <summary>
/// A polynomial over GF(2), bit i holding the coefficient of x^i. The chunker uses an irreducible
/// one of degree 53; the repository config stores it as <see cref="ToString"/> spells it.
/// </summary>
public readonly record struct Polynomial(ulong Value)
{
    /// <summary>restic's give-up bound for <see cref="Random"/> (randPolMaxTries).</summary>
    public const int MaxRandomTries = 1_000_000;

    private const int RandomDegree = 53;

    /// <summary>The highest power with a non-zero coefficient; -1 for the zero polynomial.</summary>
    public int Degree => 63 - BitOperations.LeadingZeroCount(Value);

    /// <summary>
    /// Ben-Or's test, as restic/chunker runs it: P is irreducible iff gcd(P, x^(2^i) − x mod P) = 1
    /// for every i in 1..deg(P)/2. Constants (degree below 1) are not irreducible.
    /// </summary>
    public bool IsIrreducible()
    {
        int degree = Degree;
        if (degree < 1)
        {
            return false;
        }

        ulong power = 2; // x
        for (int i = 1; i <= degree / 2; i++)
        {
            power = MulMod(power, power, Value); // now x^(2^i) mod P
            if (Gcd(Value, Mod(power ^ 2, Value)) != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// restic's rule for a new repository polynomial: read 64 random bits (little-endian in
    /// restic), keep bits 0..53, set bits 53 and 0, accept the first irreducible result.
    /// </summary>
    /// <exception cref="InvalidOperationException">No irreducible polynomial in <see cref="MaxRandomTries"/> tries.</exception>
    public static Polynomial Random(Func<ulong> random64)
    {
        ArgumentNullException.ThrowIfNull(random64);
        for (int i = 0; i < MaxRandomTries; i++)
        {
            ulong bits = (random64() & ((1UL << (RandomDegree + 1)) - 1)) | (1UL << RandomDegree) | 1;
            var candidate = new Polynomial(bits);
            if (candidate.IsIrreducible())
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"no irreducible polynomial found in {MaxRandomTries} tries; the random source is not random");
    }

    /// <summary>Lowercase hex without prefix or leading zeros, as restic writes chunker_polynomial.</summary>
    public override string ToString() => Value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses hex digits (either case, no prefix, no sign, no spaces) into a polynomial.</summary>
    /// <exception cref="FormatException">Not 1 to 16 hex digits.</exception>
    public static Polynomial Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            throw new FormatException($"'{hex}' is not a chunker polynomial: expected 1 to 16 hex digits");
        }

        return new Polynomial(value);
    }

    /// <summary>Remainder of x divided by d over GF(2); d must not be zero.</summary>
    internal static ulong Mod(ulong x, ulong d)
    {
        int dDegree = 63 - BitOperations.LeadingZeroCount(d);
        for (int diff = Deg(x) - dDegree; diff >= 0; diff = Deg(x) - dDegree)
        {
            x ^= d << diff;
        }

        return x;
    }

    /// <summary>a·b mod m over GF(2), for a and b already reduced below deg(m) ≤ 63.</summary>
    private static ulong MulMod(ulong a, ulong b, ulong m)
    {
        int degree = Deg(m);
        ulong top = 1UL << degree;
        ulong result = 0;
        for (int bit = Deg(b); bit >= 0; bit--)
        {
            // result·x, reduced: the shift cannot overflow because result < 2^degree ≤ 2^63.
            result <<= 1;
            if ((result & top) != 0)
            {
                result ^= m;
            }

            if (((b >> bit) & 1) != 0)
            {
                result ^= a;
            }
        }

        return result;
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
        {
            (a, b) = (b, Mod(a, b));
        }

        return a;
    }

    private static int Deg(ulong x) => 63 - BitOperations.LeadingZeroCount(x);
}
