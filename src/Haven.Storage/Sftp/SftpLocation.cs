// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp;

/// <summary>
/// Where an SFTP repository lives, parsed from a location as restic spells it:
/// <c>sftp:user@host:/absolute</c> or <c>sftp:user@host:relative</c>, and
/// <c>sftp://user@host:port/relative</c> or <c>sftp://user@host:port//absolute</c>. A relative
/// path is relative to the directory the server logs the user into (usually the home).
/// </summary>
public sealed record SftpLocation(string? User, string Host, int Port, string Path)
{
    public const int DefaultPort = 22;

    public bool IsAbsolute => Path.StartsWith('/');

    /// <summary>Parses <paramref name="location"/>; throws <see cref="FormatException"/> with a sentence saying what is wrong.</summary>
    public static SftpLocation Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.StartsWith("sftp://", StringComparison.Ordinal) ? ParseUrl(location) : ParseScp(location);
    }

    /// <summary>The location in the form it was given, without any password.</summary>
    public override string ToString()
    {
        string user = User is null ? string.Empty : User + "@";
        string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        return Port == DefaultPort ? $"sftp:{user}{host}:{Path}" : $"sftp://{user}{host}:{Port}/{Path}";
    }

    private static SftpLocation ParseUrl(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new FormatException($"'{LocationText.HidePassword(location)}' is not a valid sftp URL: use sftp://user@host:port/path");
        }

        string? user = null;
        if (uri.UserInfo.Length > 0)
        {
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                throw new FormatException("sftp URLs with a password are not supported: Haven authenticates with ssh keys");
            }

            user = Uri.UnescapeDataString(uri.UserInfo);
        }

        // As in restic, the first slash only separates the path from the host: sftp://host/dir is
        // relative to the login directory and sftp://host//dir is absolute.
        string path = Uri.UnescapeDataString(uri.AbsolutePath);
        path = path.Length > 0 ? path[1..] : path;
        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return Create(location, user, host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, path);
    }

    private static SftpLocation ParseScp(string location)
    {
        if (!location.StartsWith("sftp:", StringComparison.Ordinal))
        {
            throw new FormatException($"'{location}' does not start with sftp:");
        }

        string rest = location["sftp:".Length..];
        string? user = null;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        int firstColon = rest.IndexOf(':', StringComparison.Ordinal);
        if (at >= 0 && (firstColon < 0 || at < firstColon))
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
        }

        string host;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"'{location}': an IPv6 host is written [address]:path");
            }

            host = rest[1..close];
            rest = rest[(close + 2)..];
        }
        else
        {
            int colon = rest.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new FormatException($"'{location}' has no path: use sftp:user@host:/path");
            }

            host = rest[..colon];
            rest = rest[(colon + 1)..];
        }

        return Create(location, user, host, DefaultPort, rest);
    }

    private static SftpLocation Create(string location, string? user, string host, int port, string path)
    {
        if (host.Length == 0)
        {
            throw new FormatException($"'{location}' names no host");
        }

        if (user is { Length: 0 })
        {
            throw new FormatException($"'{location}' has an empty user name before '@'");
        }

        string clean = Clean(path);
        if (clean.Length == 0)
        {
            throw new FormatException($"'{location}' names no directory: use sftp:user@host:/path or sftp://user@host:port//absolute/path");
        }

        if (clean.StartsWith('~'))
        {
            throw new FormatException($"'{location}': SFTP servers do not expand '~'; write a path relative to the login directory instead (sftp:user@host:backups)");
        }

        return new SftpLocation(user, host, port, clean);
    }

    /// <summary>Removes empty and "." segments and a trailing slash, keeping a leading slash.</summary>
    private static string Clean(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        string joined = string.Join('/', parts);
        return path.StartsWith('/') ? "/" + joined : joined;
    }
}
