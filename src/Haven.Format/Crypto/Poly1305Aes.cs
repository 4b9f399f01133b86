// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Haven.Format.Crypto;

/// <summary>
/// Poly1305-AES (Bernstein 2005) as restic uses it: tag = Poly1305_r(message) + AES-128_k(nonce).
/// BouncyCastle 2.7 reads its 32-byte key as r ‖ k (checked by the appendix B vectors in the tests;
/// the order differs between ports); callers pass r already clamped.
/// </summary>
internal static class Poly1305Aes
{
    public const int TagSize = 16;

    [ThreadStatic]
    private static Poly1305? s_mac;

    [ThreadStatic]
    private static byte[]? s_key;

    public static void ComputeTag(ReadOnlySpan<byte> k, ReadOnlySpan<byte> clampedR, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        Poly1305 mac = s_mac ??= new Poly1305(new AesEngine());
        byte[] key = s_key ??= new byte[32];
        clampedR.CopyTo(key);
        k.CopyTo(key.AsSpan(16));
        mac.Init(new ParametersWithIV(new KeyParameter(key), nonce));
        Array.Clear(key);
        mac.BlockUpdate(message);
        mac.DoFinal(tag);
    }

    /// <summary>The standard Poly1305 clamp; restic applies it each time it uses r.</summary>
    public static void Clamp(Span<byte> r)
    {
        r[3] &= 0x0f;
        r[7] &= 0x0f;
        r[11] &= 0x0f;
        r[15] &= 0x0f;
        r[4] &= 0xfc;
        r[8] &= 0xfc;
        r[12] &= 0xfc;
    }
}
