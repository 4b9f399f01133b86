// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Haven.Format.Crypto;

/// <summary>
/// Poly1305 (RFC 8439 §2.5) with the accumulator in base 2^64, as OpenSSL's portable poly1305.c:
/// h = h0 + 2^64 h1 + 2^128 h2, kept only partially reduced between blocks (h2 may exceed 3).
/// Long inputs go four blocks at a time through <see cref="Poly1305Vector"/> when AVX2 is there.
/// Only the last <see cref="Update"/> may end in a partial block, which is how both callers
/// (one message, or a message fed in cipher-sized pieces) use it.
/// </summary>
internal struct Poly1305
{
    public const int BlockSize = 16;

    public const int TagSize = 16;

    // Below this many bytes the vector set-up (powers of r, a final multiply per lane) costs more than it saves.
    private const int VectorThreshold = 256;

    private readonly ulong _r0;
    private readonly ulong _r1;
    private ulong _h0;
    private ulong _h1;
    private ulong _h2;
    private bool _ended;
    private Poly1305Vector.Powers _powers;

    /// <param name="clampedR">The 16-byte r, already clamped (<see cref="Poly1305Aes.Clamp"/>).</param>
    public Poly1305(ReadOnlySpan<byte> clampedR)
    {
        if (clampedR.Length != 16)
        {
            throw new ArgumentException("r is 16 bytes", nameof(clampedR));
        }

        _r0 = BinaryPrimitives.ReadUInt64LittleEndian(clampedR);
        _r1 = BinaryPrimitives.ReadUInt64LittleEndian(clampedR[8..]);
        if ((_r0 & 0xf0000003f0000000UL) != 0 || (_r1 & 0xf0000003f0000003UL) != 0)
        {
            throw new ArgumentException("r is not clamped", nameof(clampedR));
        }
    }

    public void Update(ReadOnlySpan<byte> data)
    {
        if (_ended)
        {
            throw new InvalidOperationException("Poly1305 already took a partial block, which ends the message");
        }

        if (data.Length >= VectorThreshold && Poly1305Vector.IsSupported)
        {
            if (!_powers.IsSet)
            {
                _powers = Poly1305Vector.Powers.Of(_r0, _r1);
            }

            int vectorBytes = data.Length & ~(Poly1305Vector.BytesPerStep - 1);
            Poly1305Vector.Blocks(ref _h0, ref _h1, ref _h2, in _powers, data[..vectorBytes]);
            data = data[vectorBytes..];
        }

        int whole = data.Length & ~(BlockSize - 1);
        Blocks(ref _h0, ref _h1, ref _h2, _r0, _r1, data[..whole], 1);
        ReadOnlySpan<byte> tail = data[whole..];
        if (!tail.IsEmpty)
        {
            // The last partial block is padded with a 1 byte and zeros instead of the 2^128 bit.
            Span<byte> last = stackalloc byte[BlockSize];
            last.Clear();
            tail.CopyTo(last);
            last[tail.Length] = 1;
            Blocks(ref _h0, ref _h1, ref _h2, _r0, _r1, last, 0);
            _ended = true;
        }
    }

    /// <summary>tag = (h mod 2^130 − 5) + s mod 2^128, where s is the 16-byte one-time pad (AES_k(nonce) in Poly1305-AES).</summary>
    public readonly void Finish(ReadOnlySpan<byte> s, Span<byte> tag)
    {
        ulong h0 = _h0, h1 = _h1, h2 = _h2;
        Freeze(ref h0, ref h1, ref h2);

        ulong s0 = BinaryPrimitives.ReadUInt64LittleEndian(s);
        ulong s1 = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]);
        h0 += s0;
        h1 += s1 + (h0 < s0 ? 1UL : 0UL);
        BinaryPrimitives.WriteUInt64LittleEndian(tag, h0);
        BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], h1);
    }

    /// <summary>h (partially reduced) to its value mod 2^130 − 5, in constant time.</summary>
    internal static void Freeze(ref ulong h0, ref ulong h1, ref ulong h2)
    {
        // Fold from bit 130 up (×5), which leaves h below 2p; then h + 5 reaches 2^130 exactly when h ≥ p,
        // and h − p is (h + 5) mod 2^130.
        ulong c = (h2 >> 2) * 5;
        h2 &= 3;
        h0 += c;
        c = h0 < c ? 1UL : 0UL;
        h1 += c;
        h2 += h1 < c ? 1UL : 0UL;
        ulong g0 = h0 + 5;
        c = g0 < 5 ? 1UL : 0UL;
        ulong g1 = h1 + c;
        c = g1 < c ? 1UL : 0UL;
        ulong g2 = h2 + c;
        ulong useG = 0UL - (g2 >> 2);
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & 3 & useG);
    }

    /// <summary>h = (h + m + hibit·2^128)·r for each 16-byte block m, partially reduced.</summary>
    internal static void Blocks(ref ulong h0, ref ulong h1, ref ulong h2, ulong r0, ulong r1, ReadOnlySpan<byte> blocks, ulong hibit)
    {
        ulong a0 = h0, a1 = h1, a2 = h2;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(blocks);
        for (int i = 0; i + 1 < words.Length; i += 2)
        {
            ulong m0 = BitConverter.IsLittleEndian ? words[i] : BinaryPrimitives.ReverseEndianness(words[i]);
            ulong m1 = BitConverter.IsLittleEndian ? words[i + 1] : BinaryPrimitives.ReverseEndianness(words[i + 1]);
            a0 += m0;
            ulong carry = a0 < m0 ? 1UL : 0UL;
            a1 += m1;
            ulong carry1 = a1 < m1 ? 1UL : 0UL;
            a1 += carry;
            carry1 += a1 < carry ? 1UL : 0UL;
            a2 += carry1 + hibit;
            MultiplyByR(ref a0, ref a1, ref a2, r0, r1);
        }

        h0 = a0;
        h1 = a1;
        h2 = a2;
    }

    /// <summary>
    /// h = h·r mod 2^130 − 5, partially. Clamping leaves r1 a multiple of 4, so 2^128·r1 ≡ 5·r1/4 = r1 + r1/4 (mod p)
    /// and the 2^128 terms fold back without a fifth product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyByR(ref ulong h0, ref ulong h1, ref ulong h2, ulong r0, ulong r1)
    {
        ulong s1 = r1 + (r1 >> 2);

        // d0 = h0·r0 + h1·s1; d1 = h0·r1 + h1·r0 + h2·s1; d2 = h2·r0 (h2 is a few bits, so the last two fit in 64).
        ulong d0Hi = Math.BigMul(h0, r0, out ulong d0Lo);
        ulong hi = Math.BigMul(h1, s1, out ulong lo);
        d0Lo += lo;
        d0Hi += hi + (d0Lo < lo ? 1UL : 0UL);

        ulong d1Hi = Math.BigMul(h0, r1, out ulong d1Lo);
        hi = Math.BigMul(h1, r0, out lo);
        d1Lo += lo;
        d1Hi += hi + (d1Lo < lo ? 1UL : 0UL);
        lo = h2 * s1;
        d1Lo += lo;
        d1Hi += d1Lo < lo ? 1UL : 0UL;
        ulong d2 = h2 * r0;

        d1Lo += d0Hi;
        d1Hi += d1Lo < d0Hi ? 1UL : 0UL;
        d2 += d1Hi;

        // Everything from bit 130 up, times 5, goes back to the bottom.
        ulong c = (d2 >> 2) + (d2 & ~3UL);
        h2 = d2 & 3;
        h0 = d0Lo + c;
        c = h0 < c ? 1UL : 0UL;
        h1 = d1Lo + c;
        h2 += h1 < c ? 1UL : 0UL;
    }
}
