// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Haven.Storage.Rest;

/// <summary>The HTTP handler of a REST backend: system trust store, or only a private CA when one is given.</summary>
internal static class RestHttpHandler
{
    public static SocketsHttpHandler Create(RestBackendOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        if (options.CertificateAuthorityFile is { } file)
        {
            var authorities = new X509Certificate2Collection();
            try
            {
                authorities.ImportFromPemFile(file);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new StorageException($"cannot read the certificate authority file {file}: {error.Message}", error, permanent: true);
            }

            if (authorities.Count == 0)
            {
                throw new StorageException($"the certificate authority file {file} holds no PEM certificate", permanent: true);
            }

            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            };
            handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        return handler;
    }
}
