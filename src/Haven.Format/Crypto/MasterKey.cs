// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Haven.Format.Crypto;

/// <summary>
/// restic's key: AES-256-CTR for secrecy and Poly1305-AES over the ciphertext for integrity.
/// A sealed item is IV(16) ‖ ciphertext ‖ tag(16). Seal and Open are safe to call from many threads.
/// </summary>
public sealed class MasterKey
{
    public const int Overhead = IvSize + Poly1305Aes.TagSize;

    /// <summary>Where the ciphertext starts in a sealed item.</summary>
    public const int IvSize = AesCtr.BlockSize;

    private readonly byte[] _encryptionKey;
    private readonly byte[] _macK;
    private readonly byte[] _macR;

    // AES-NI's round keys are shared by all threads; without AES-NI, .NET's Aes (ECB) instances are not documented
    // as thread-safe, so each caller borrows one.
    private readonly AesNiCtr? _aesNi;
    private readonly ConcurrentBag<Aes> _ciphers = [];

    public MasterKey(ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> macK, ReadOnlySpan<byte> macR)
    {
        RequirePart(encryptionKey, 32, nameof(encryptionKey));
        RequirePart(macK, 16, nameof(macK));
        RequirePart(macR, 16, nameof(macR));
        _encryptionKey = encryptionKey.ToArray();
        _macK = macK.ToArray();
        _macR = macR.ToArray();
        Poly1305Aes.Clamp(_macR);
        _aesNi = AesNiCtr.IsSupported ? new AesNiCtr(_encryptionKey) : null;
    }

    public ReadOnlyMemory<byte> EncryptionKey => _encryptionKey;

    public ReadOnlyMemory<byte> MacK => _macK;

    /// <summary>The Poly1305 key r, stored clamped as restic stores it.</summary>
    public ReadOnlyMemory<byte> MacR => _macR;

    public static MasterKey Generate()
    {
        Span<byte> bytes = stackalloc byte[64];
        RandomNumberGenerator.Fill(bytes);
        try
        {
            return new MasterKey(bytes[..32], bytes[32..48], bytes[48..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static MasterKey FromJson(ReadOnlySpan<byte> json) => MasterKeyJson.Read(json);

    public byte[] ToJson() => MasterKeyJson.Write(this);

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var result = new byte[plaintext.Length + Overhead];
        Seal(plaintext, result);
        return result;
    }

    /// <summary>
    /// Seals into <paramref name="destination"/>; returns the sealed length. The plaintext may already
    /// sit where its ciphertext goes (<c>destination[IvSize..]</c>): it is then encrypted in place.
    /// </summary>
    public int Seal(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        int total = plaintext.Length + Overhead;
        if (destination.Length < total)
        {
            throw new ArgumentException($"the destination needs {total} bytes, has {destination.Length}", nameof(destination));
        }

        Span<byte> iv = destination[..IvSize];
        do
        {
            RandomNumberGenerator.Fill(iv);
        }
        while (!iv.ContainsAnyExcept((byte)0));

        Span<byte> ciphertext = destination.Slice(IvSize, plaintext.Length);
        Transform(iv, plaintext, ciphertext);
        Poly1305Aes.ComputeTag(_macK, _macR, iv, ciphertext, destination.Slice(IvSize + plaintext.Length, Poly1305Aes.TagSize));
        return total;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedData)
    {
        if (sealedData.Length < Overhead)
        {
            throw new CiphertextAuthenticationException($"sealed data is at least {Overhead} bytes, got {sealedData.Length}");
        }

        var result = new byte[sealedData.Length - Overhead];
        Open(sealedData, result);
        return result;
    }

    /// <summary>
    /// Decrypts without a second buffer: the plaintext replaces the ciphertext inside
    /// <paramref name="sealedData"/>, which is returned sliced to it. The tag is checked before a byte
    /// is written, and CTR reads each byte before it writes it.
    /// </summary>
    public Span<byte> OpenInPlace(Span<byte> sealedData)
    {
        if (sealedData.Length < Overhead)
        {
            throw new CiphertextAuthenticationException($"sealed data is at least {Overhead} bytes, got {sealedData.Length}");
        }

        var plaintext = sealedData.Slice(IvSize, sealedData.Length - Overhead);
        Open(sealedData, plaintext);
        return plaintext;
    }

    public int Open(ReadOnlySpan<byte> sealedData, Span<byte> destination)
    {
        if (sealedData.Length < Overhead)
        {
            throw new CiphertextAuthenticationException($"sealed data is at least {Overhead} bytes, got {sealedData.Length}");
        }

        ReadOnlySpan<byte> iv = sealedData[..IvSize];
        if (!iv.ContainsAnyExcept((byte)0))
        {
            throw new CiphertextAuthenticationException("sealed data has an all-zero IV");
        }

        int length = sealedData.Length - Overhead;
        if (destination.Length < length)
        {
            throw new ArgumentException($"the destination needs {length} bytes, has {destination.Length}", nameof(destination));
        }

        ReadOnlySpan<byte> ciphertext = sealedData.Slice(IvSize, length);
        Span<byte> tag = stackalloc byte[Poly1305Aes.TagSize];
        Poly1305Aes.ComputeTag(_macK, _macR, iv, ciphertext, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, sealedData[(IvSize + length)..]))
        {
            throw new CiphertextAuthenticationException();
        }

        Transform(iv, ciphertext, destination);
        return length;
    }

    private void Transform(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (_aesNi is not null)
        {
            _aesNi.Transform(iv, input, output);
            return;
        }

        if (!_ciphers.TryTake(out Aes? aes))
        {
            aes = Aes.Create();
            aes.Key = _encryptionKey;
        }

        try
        {
            AesCtr.Transform(aes, iv, input, output);
        }
        finally
        {
            _ciphers.Add(aes);
        }
    }

    private static void RequirePart(ReadOnlySpan<byte> part, int size, string name)
    {
        if (part.Length != size)
        {
            throw new ArgumentException($"{name} is {size} bytes, got {part.Length}", name);
        }

        if (!part.ContainsAnyExcept((byte)0))
        {
            throw new ArgumentException($"{name} is all zero, which restic treats as no key", name);
        }
    }
}
