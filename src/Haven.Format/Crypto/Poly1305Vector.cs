// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Haven.Format.Crypto;

/// <summary>
/// Poly1305 four blocks at a time on AVX2 (the layout of OpenSSL's poly1305-x86_64 AVX2 code): four
/// accumulators in base 2^26, one per 64-bit lane, each multiplied by r^4 per step, so that 32×32→64-bit
/// vector multiplies (vpmuludq) do the work. At the end lane j is multiplied by the power of r its
/// blocks still owe and the lanes are summed back into the scalar accumulator.
/// </summary>
internal static class Poly1305Vector
{
    public const int BytesPerStep = 64;

    private const ulong Mask26 = (1UL << 26) - 1;

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>
    /// h = (…((h + m1)·r + m2)·r … + mn)·r for the blocks of <paramref name="blocks"/> (a multiple of
    /// 64 bytes, at least 128), with h in the base-2^64 form of <see cref="Poly1305"/>.
    /// </summary>
    public static void Blocks(ref ulong h0, ref ulong h1, ref ulong h2, in Powers powers, ReadOnlySpan<byte> blocks)
    {
        ref byte input = ref MemoryMarshal.GetReference(blocks);
        int steps = blocks.Length / BytesPerStep;
        Vector256<ulong> mask = Vector256.Create(Mask26);

        // Lane order after the unpacks below is blocks 0, 2, 1, 3 of each 64 bytes.
        Load(ref input, mask, out Vector256<ulong> a0, out Vector256<ulong> a1, out Vector256<ulong> a2, out Vector256<ulong> a3, out Vector256<ulong> a4);

        // The running h joins the first block, in lane 0.
        a0 += Vector256.CreateScalar(h0 & Mask26);
        a1 += Vector256.CreateScalar((h0 >> 26) & Mask26);
        a2 += Vector256.CreateScalar(((h0 >> 52) | (h1 << 12)) & Mask26);
        a3 += Vector256.CreateScalar((h1 >> 14) & Mask26);
        a4 += Vector256.CreateScalar((h1 >> 40) | (h2 << 24));

        Vector256<ulong> r0 = Vector256.Create(powers.R4[0]), r1 = Vector256.Create(powers.R4[1]), r2 = Vector256.Create(powers.R4[2]);
        Vector256<ulong> r3 = Vector256.Create(powers.R4[3]), r4 = Vector256.Create(powers.R4[4]);
        Vector256<ulong> s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
        for (int step = 1; step < steps; step++)
        {
            Load(ref Unsafe.Add(ref input, step * BytesPerStep), mask, out Vector256<ulong> m0, out Vector256<ulong> m1, out Vector256<ulong> m2, out Vector256<ulong> m3, out Vector256<ulong> m4);
            Vector256<ulong> d0 = m0 + Mul(a0, r0) + Mul(a1, s4) + Mul(a2, s3) + Mul(a3, s2) + Mul(a4, s1);
            Vector256<ulong> d1 = m1 + Mul(a0, r1) + Mul(a1, r0) + Mul(a2, s4) + Mul(a3, s3) + Mul(a4, s2);
            Vector256<ulong> d2 = m2 + Mul(a0, r2) + Mul(a1, r1) + Mul(a2, r0) + Mul(a3, s4) + Mul(a4, s3);
            Vector256<ulong> d3 = m3 + Mul(a0, r3) + Mul(a1, r2) + Mul(a2, r1) + Mul(a3, r0) + Mul(a4, s4);
            Vector256<ulong> d4 = m4 + Mul(a0, r4) + Mul(a1, r3) + Mul(a2, r2) + Mul(a3, r1) + Mul(a4, r0);
            Carry(mask, d0, d1, d2, d3, d4, out a0, out a1, out a2, out a3, out a4);
        }

        // Lane j (blocks 0, 2, 1, 3 of the last step) still owes r^4, r^2, r^3, r^1.
        r0 = Vector256.Create(powers.R4[0], powers.R2[0], powers.R3[0], powers.R1[0]);
        r1 = Vector256.Create(powers.R4[1], powers.R2[1], powers.R3[1], powers.R1[1]);
        r2 = Vector256.Create(powers.R4[2], powers.R2[2], powers.R3[2], powers.R1[2]);
        r3 = Vector256.Create(powers.R4[3], powers.R2[3], powers.R3[3], powers.R1[3]);
        r4 = Vector256.Create(powers.R4[4], powers.R2[4], powers.R3[4], powers.R1[4]);
        s1 = r1 * 5;
        s2 = r2 * 5;
        s3 = r3 * 5;
        s4 = r4 * 5;
        Carry(
            mask,
            Mul(a0, r0) + Mul(a1, s4) + Mul(a2, s3) + Mul(a3, s2) + Mul(a4, s1),
            Mul(a0, r1) + Mul(a1, r0) + Mul(a2, s4) + Mul(a3, s3) + Mul(a4, s2),
            Mul(a0, r2) + Mul(a1, r1) + Mul(a2, r0) + Mul(a3, s4) + Mul(a4, s3),
            Mul(a0, r3) + Mul(a1, r2) + Mul(a2, r1) + Mul(a3, r0) + Mul(a4, s4),
            Mul(a0, r4) + Mul(a1, r3) + Mul(a2, r2) + Mul(a3, r1) + Mul(a4, r0),
            out a0,
            out a1,
            out a2,
            out a3,
            out a4);

        // Each limb sum is under 2^29; carry them to 26 bits (the top one may keep a few more) and repack.
        ulong l0 = Vector256.Sum(a0), l1 = Vector256.Sum(a1), l2 = Vector256.Sum(a2), l3 = Vector256.Sum(a3), l4 = Vector256.Sum(a4);
        l1 += l0 >> 26;
        l0 &= Mask26;
        l2 += l1 >> 26;
        l1 &= Mask26;
        l3 += l2 >> 26;
        l2 &= Mask26;
        l4 += l3 >> 26;
        l3 &= Mask26;
        h0 = l0 | (l1 << 26) | (l2 << 52);
        h1 = (l2 >> 12) | (l3 << 14) | (l4 << 40);
        ulong top = l4 >> 24;

        // Fold bits from 130 up back to the bottom (×5) so that h2 stays a few bits, as the scalar code expects.
        ulong c = (top >> 2) * 5;
        h2 = top & 3;
        h0 += c;
        c = h0 < c ? 1UL : 0UL;
        h1 += c;
        h2 += h1 < c ? 1UL : 0UL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Mul(Vector256<ulong> a, Vector256<ulong> b) => Avx2.Multiply(a.AsUInt32(), b.AsUInt32());

    /// <summary>Four 16-byte blocks into five 26-bit limbs per lane, with the 2^128 bit set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(ref byte input, Vector256<ulong> mask, out Vector256<ulong> m0, out Vector256<ulong> m1, out Vector256<ulong> m2, out Vector256<ulong> m3, out Vector256<ulong> m4)
    {
        Vector256<ulong> first = Vector256.LoadUnsafe(ref input).AsUInt64();
        Vector256<ulong> second = Vector256.LoadUnsafe(ref Unsafe.Add(ref input, 32)).AsUInt64();
        Vector256<ulong> low = Avx2.UnpackLow(first, second);
        Vector256<ulong> high = Avx2.UnpackHigh(first, second);
        m0 = low & mask;
        m1 = Vector256.ShiftRightLogical(low, 26) & mask;
        m2 = (Vector256.ShiftRightLogical(low, 52) | Vector256.ShiftLeft(high, 12)) & mask;
        m3 = Vector256.ShiftRightLogical(high, 14) & mask;
        m4 = Vector256.ShiftRightLogical(high, 40) | Vector256.Create(1UL << 24);
    }

    /// <summary>Limb products (under 2^62) back to 26-bit limbs, the top carry folded into limb 0 times 5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Carry(Vector256<ulong> mask, Vector256<ulong> d0, Vector256<ulong> d1, Vector256<ulong> d2, Vector256<ulong> d3, Vector256<ulong> d4, out Vector256<ulong> h0, out Vector256<ulong> h1, out Vector256<ulong> h2, out Vector256<ulong> h3, out Vector256<ulong> h4)
    {
        d1 += Vector256.ShiftRightLogical(d0, 26);
        h0 = d0 & mask;
        d2 += Vector256.ShiftRightLogical(d1, 26);
        h1 = d1 & mask;
        d3 += Vector256.ShiftRightLogical(d2, 26);
        h2 = d2 & mask;
        d4 += Vector256.ShiftRightLogical(d3, 26);
        h3 = d3 & mask;
        Vector256<ulong> c = Vector256.ShiftRightLogical(d4, 26);
        h4 = d4 & mask;
        h0 += c + Vector256.ShiftLeft(c, 2);
        h1 += Vector256.ShiftRightLogical(h0, 26);
        h0 &= mask;
    }

    /// <summary>r, r^2, r^3, r^4 fully reduced, each as five 26-bit limbs.</summary>
    internal struct Powers
    {
        public Limbs R1;
        public Limbs R2;
        public Limbs R3;
        public Limbs R4;

        public bool IsSet;

        public static Powers Of(ulong r0, ulong r1)
        {
            var powers = new Powers { IsSet = true };
            ulong h0 = r0, h1 = r1, h2 = 0;
            powers.R1 = Limbs.Of(h0, h1, h2);
            Poly1305.MultiplyByR(ref h0, ref h1, ref h2, r0, r1);
            powers.R2 = Limbs.Of(h0, h1, h2);
            Poly1305.MultiplyByR(ref h0, ref h1, ref h2, r0, r1);
            powers.R3 = Limbs.Of(h0, h1, h2);
            Poly1305.MultiplyByR(ref h0, ref h1, ref h2, r0, r1);
            powers.R4 = Limbs.Of(h0, h1, h2);
            return powers;
        }
    }

    [InlineArray(5)]
    internal struct Limbs
    {
        private ulong _limb;

        /// <summary>h (partially reduced, base 2^64) reduced below 2^130 − 5 and split into 26-bit limbs.</summary>
        public static Limbs Of(ulong h0, ulong h1, ulong h2)
        {
            Poly1305.Freeze(ref h0, ref h1, ref h2);
            var limbs = default(Limbs);
            limbs[0] = h0 & Mask26;
            limbs[1] = (h0 >> 26) & Mask26;
            limbs[2] = ((h0 >> 52) | (h1 << 12)) & Mask26;
            limbs[3] = (h1 >> 14) & Mask26;
            limbs[4] = (h1 >> 40) | (h2 << 24);
            return limbs;
        }
    }
}
