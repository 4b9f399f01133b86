// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Format.Crypto;

/// <summary>scrypt(password, salt) → 64 bytes: user AES key [0:32], MAC k [32:48], MAC r [48:64].</summary>
internal static class KeyDerivation
{
    public const int SaltSize = 64;

    public const int OutputSize = 64;

    public static byte[] Derive(string password, ReadOnlySpan<byte> salt, ScryptParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
        var derived = new byte[OutputSize];
        try
        {
            Scrypt.Derive(passwordBytes, salt, parameters.N, parameters.R, parameters.P, derived);
        }
        finally
        {
            Array.Clear(passwordBytes);
        }

        return derived;
    }

    public static MasterKey DeriveUserKey(string password, ReadOnlySpan<byte> salt, ScryptParameters parameters)
    {
        byte[] derived = Derive(password, salt, parameters);
        try
        {
            return new MasterKey(derived.AsSpan(0, 32), derived.AsSpan(32, 16), derived.AsSpan(48, 16));
        }
        finally
        {
            Array.Clear(derived);
        }
    }
}
