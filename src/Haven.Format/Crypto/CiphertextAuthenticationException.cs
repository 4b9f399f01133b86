// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;

namespace Haven.Format.Crypto;

/// <summary>Sealed data failed authentication: a wrong key, a bad MAC, a zero IV or truncated input.</summary>
public sealed class CiphertextAuthenticationException : CryptographicException
{
    public CiphertextAuthenticationException()
        : base("ciphertext verification failed")
    {
    }

    public CiphertextAuthenticationException(string message)
        : base(message)
    {
    }

    public CiphertextAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
