// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;

namespace Haven.Server;

/// <summary>How <see cref="RepositoryServer"/> serves, validated once by whoever builds it (the CLI or a test).</summary>
public sealed record ServerOptions
{
    /// <summary>The address to listen on; port 0 picks a free port (see <see cref="RepositoryServer.Address"/>).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The folder holding the repository served at "/" and any repositories below it ("/name/").</summary>
    public required string RootPath { get; init; }

    /// <summary>Refuse every delete except of lock files, and any overwrite, so a client cannot destroy history.</summary>
    public bool AppendOnly { get; init; }

    /// <summary>An htpasswd file (bcrypt or {SHA} entries); without one every request is accepted unauthenticated.</summary>
    public string? HtpasswdFile { get; init; }

    /// <summary>Serve HTTPS with this PEM certificate (chain) and <see cref="TlsKeyFile"/>.</summary>
    public string? TlsCertificateFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>Each user may only use the repositories below "/&lt;user name&gt;/".</summary>
    public bool PrivateRepositories { get; init; }

    /// <summary>Check that an upload's SHA-256 equals its name (all but config). Costs CPU, catches corruption in transit.</summary>
    public bool VerifyUploads { get; init; } = true;

    /// <summary>The largest upload accepted; restic's packs are at most 128 MiB.</summary>
    public long MaxUploadBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Parses "host:port", "[v6]:port" or ":port" (every interface), as rest-server's --listen.</summary>
    public static IPEndPoint ParseListen(string value)
    {
        if (value.StartsWith(':') && int.TryParse(value.AsSpan(1), out int port) && port is >= 0 and <= 65535)
        {
            return new IPEndPoint(IPAddress.IPv6Any, port);
        }

        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            value = "127.0.0.1" + value["localhost".Length..];
        }

        if (IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':', StringComparison.Ordinal) && !value.EndsWith(']'))
        {
            return endpoint;
        }

        throw new ArgumentException($"--listen '{value}' is not an address: write 127.0.0.1:8000, [::1]:8000 or :8000");
    }
}
