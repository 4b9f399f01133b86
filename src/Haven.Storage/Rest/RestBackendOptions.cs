// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Rest;

/// <summary>
/// Where a REST repository is and how to reach it. The caller fills it from the repository URL and
/// the environment; <see cref="Password"/> is never part of a message or of <see cref="IBackend.Location"/>.
/// </summary>
public sealed record RestBackendOptions
{
    /// <summary>The repository's base address (http or https), without credentials; it always ends in '/'.</summary>
    public required Uri BaseAddress { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>A PEM file of certificate authorities to trust instead of the system store (a private CA).</summary>
    public string? CertificateAuthorityFile { get; init; }

    /// <summary>How long one request may take, body included, before it fails as a transient error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Parses restic's spelling, <c>rest:http(s)://[user:pass@]host:port/path/</c>. Credentials in the
    /// URL win over <paramref name="username"/> and <paramref name="password"/> (from the environment).
    /// </summary>
    public static RestBackendOptions Parse(string location, string? username = null, string? password = null, string? certificateAuthorityFile = null)
    {
        const string Scheme = "rest:";
        string url = location.StartsWith(Scheme, StringComparison.Ordinal) ? location[Scheme.Length..] : location;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{LocationText.HidePassword(location)}' is not a REST repository URL: write rest:http://host:port/path/ or rest:https://user:password@host:port/path/");
        }

        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            username = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : password;
        }

        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return new RestBackendOptions
        {
            BaseAddress = builder.Uri,
            Username = string.IsNullOrEmpty(username) ? null : username,
            Password = password,
            CertificateAuthorityFile = string.IsNullOrEmpty(certificateAuthorityFile) ? null : certificateAuthorityFile,
        };
    }

    /// <summary>The location for messages: the URL with the user name but never the password.</summary>
    public string DisplayLocation
    {
        get
        {
            var builder = new UriBuilder(BaseAddress) { UserName = Username is null ? string.Empty : Uri.EscapeDataString(Username), Password = string.Empty };
            return "rest:" + builder.Uri.AbsoluteUri;
        }
    }
}
