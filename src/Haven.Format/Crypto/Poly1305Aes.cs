// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;

namespace Haven.Format.Crypto;

/// <summary>
/// Poly1305-AES (Bernstein 2005) as restic uses it: tag = Poly1305_r(message) + AES-128_k(nonce).
/// Callers pass r already clamped.
/// </summary>
internal static class Poly1305Aes
{
    public const int TagSize = Poly1305.TagSize;

    // A repository has one MAC key k, so each thread keeps the AES-128 schedule of the last k it used.
    [ThreadStatic]
    private static Aes? s_aes;

    [ThreadStatic]
    private static byte[]? s_aesKey;

    public static void ComputeTag(ReadOnlySpan<byte> k, ReadOnlySpan<byte> clampedR, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        var poly = new Poly1305(clampedR);
        poly.Update(message);
        Finish(ref poly, k, nonce, tag);
    }

    /// <summary>Adds AES-128_k(nonce) to the Poly1305 value of the message <paramref name="poly"/> has taken.</summary>
    public static void Finish(ref Poly1305 poly, ReadOnlySpan<byte> k, ReadOnlySpan<byte> nonce, Span<byte> tag)
    {
        Span<byte> pad = stackalloc byte[16];
        EncryptNonce(k, nonce, pad);
        poly.Finish(pad, tag);
        CryptographicOperations.ZeroMemory(pad);
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

    private static void EncryptNonce(ReadOnlySpan<byte> k, ReadOnlySpan<byte> nonce, Span<byte> pad)
    {
        if (k.Length != 16 || nonce.Length != 16)
        {
            throw new ArgumentException("Poly1305-AES takes a 16-byte k and a 16-byte nonce");
        }

        if (s_aes is null || s_aesKey is null || !k.SequenceEqual(s_aesKey))
        {
            s_aes ??= Aes.Create();
            s_aesKey = k.ToArray();
            s_aes.Key = s_aesKey;
        }

        s_aes.EncryptEcb(nonce, pad, PaddingMode.None);
    }
}
