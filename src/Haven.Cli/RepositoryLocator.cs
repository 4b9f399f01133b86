// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage;
using Haven.Storage.Local;
using Haven.Storage.Rest;
using Haven.Storage.Retry;

namespace Haven.Cli;

/// <summary>
/// Turns a repository location as restic spells it into a backend. With no location at all Haven
/// uses its embedded repository under $XDG_DATA_HOME/haven/repository, whose password lives in
/// $XDG_CONFIG_HOME/haven/password.
/// </summary>
internal sealed record RepositoryLocator(string Location, bool IsEmbedded)
{
    private static readonly string[] s_remoteSchemes = ["s3:", "sftp:", "rest:"];

    /// <summary>The <c>-o key=value</c> options for the backend (retry.attempts, s3.connections, ...).</summary>
    public BackendOptions BackendOptions { get; init; } = BackendOptions.None;

    /// <summary>True for a backend reached over the network: it is retried, and its index and trees are worth caching locally.</summary>
    public bool IsRemote => s_remoteSchemes.Any(scheme => Location.StartsWith(scheme, StringComparison.Ordinal));

    public static RepositoryLocator Resolve(string? flag, BackendOptions? backendOptions = null)
    {
        string? location = flag ?? Environment.GetEnvironmentVariable("HAVEN_REPOSITORY");
        if (!string.IsNullOrEmpty(location))
        {
            return new RepositoryLocator(location, IsEmbedded: false) { BackendOptions = backendOptions ?? BackendOptions.None };
        }

        return new RepositoryLocator(Path.Combine(DataHome(), "haven", "repository"), IsEmbedded: true);
    }

    /// <summary>$XDG_CACHE_HOME/haven (default ~/.cache/haven): the local cache of remote repositories.</summary>
    public static string CacheDirectory => Path.Combine(XdgDirectory("XDG_CACHE_HOME", ".cache"), "haven");

    public static string EmbeddedPasswordFile => Path.Combine(ConfigHome(), "haven", "password");

    public IBackend CreateBackend()
    {
        string location = Location;
        if (location.StartsWith("s3:", StringComparison.Ordinal))
        {
            return Retrying(S3BackendSettings.Create(location, BackendOptions));
        }

        if (location.StartsWith("rest:", StringComparison.Ordinal))
        {
            return Retrying(CreateRestBackend(location));
        }

        if (location.StartsWith("sftp:", StringComparison.Ordinal))
        {
            return Retrying(SftpEnvironment.CreateBackend(location, BackendOptions));
        }

        if (location.StartsWith("local:", StringComparison.Ordinal))
        {
            location = location["local:".Length..];
        }
        else
        {
            foreach (string scheme in new[] { "b2:", "azure:", "gs:", "rclone:", "swift:" })
            {
                if (location.StartsWith(scheme, StringComparison.Ordinal))
                {
                    throw new UsageException($"repository '{Location}': the {scheme.TrimEnd(':')} backend is not available in this version; use a local path");
                }
            }
        }

        if (location.Length == 0)
        {
            throw new UsageException("the repository location is empty: give --repo PATH or set HAVEN_REPOSITORY");
        }

        return new LocalBackend(location);
    }

    /// <summary>Like restic, says on stderr what is being retried, so a stalled run explains itself.</summary>
    private RetryingBackend Retrying(IBackend backend) =>
        new(backend, BackendOptions.RetryPolicy(), onRetry: message => Console.Error.WriteLine($"Retrying: {message}"));

    /// <summary>
    /// rest:http(s)://[user:pass@]host:port/path/; HAVEN_REST_USERNAME/PASSWORD when the URL has none;
    /// a private CA from -o rest.ca, else HAVEN_REST_CA.
    /// </summary>
    private RestBackend CreateRestBackend(string location)
    {
        string? authorities = BackendOptions.Get("rest.ca") ?? Environment.GetEnvironmentVariable("HAVEN_REST_CA");
        if (BackendOptions.Get("rest.ca") is { } file && !File.Exists(file))
        {
            throw new UsageException($"-o rest.ca names {file}, which does not exist");
        }

        try
        {
            return new RestBackend(RestBackendOptions.Parse(
                location,
                Environment.GetEnvironmentVariable("HAVEN_REST_USERNAME"),
                Environment.GetEnvironmentVariable("HAVEN_REST_PASSWORD"),
                authorities));
        }
        catch (ArgumentException error)
        {
            throw new UsageException(error.Message);
        }
    }

    private static string DataHome() => XdgDirectory("XDG_DATA_HOME", ".local/share");

    private static string ConfigHome() => XdgDirectory("XDG_CONFIG_HOME", ".config");

    private static string XdgDirectory(string variable, string fallback)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value) && Path.IsPathRooted(value))
        {
            return value;
        }

        string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, fallback);
    }
}
