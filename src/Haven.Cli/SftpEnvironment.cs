// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage;
using Haven.Storage.Sftp;

namespace Haven.Cli;

/// <summary>
/// What the command line and the environment say about reaching an SFTP repository, read as ssh
/// reads it: first the keys of the ssh-agent at $SSH_AUTH_SOCK, then the user's key files
/// (~/.ssh/id_ed25519, id_ecdsa, id_rsa, or the one file -o sftp.identity or $HAVEN_SFTP_IDENTITY
/// names, unlocked with $HAVEN_SFTP_KEY_PASSPHRASE when encrypted), and ~/.ssh/known_hosts (or
/// -o sftp.known-hosts, $HAVEN_SFTP_KNOWN_HOSTS). An -o option wins over the environment.
/// </summary>
internal static class SftpEnvironment
{
    private static readonly string[] s_defaultKeys = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static IBackend CreateBackend(string location, BackendOptions options)
    {
        SftpLocation parsed;
        try
        {
            parsed = WithPort(SftpLocation.Parse(location), location, options.Number("sftp.port", 1, 65535));
        }
        catch (FormatException error)
        {
            throw new UsageException(error.Message);
        }

        string ssh = Path.Combine(Home(), ".ssh");
        string? identity = ExistingFile(options, "sftp.identity", "HAVEN_SFTP_IDENTITY");
        // A missing known_hosts is not an error here: the host is unknown then, and that message says how to add it.
        string? knownHosts = options.Get("sftp.known-hosts") ?? Variable("HAVEN_SFTP_KNOWN_HOSTS");
        return new SftpBackend(new SftpOptions
        {
            Location = parsed,
            User = Variable("USER") ?? Environment.UserName,
            AgentSocket = Variable("SSH_AUTH_SOCK"),
            IdentityFiles = identity is not null ? [identity] : [.. s_defaultKeys.Select(k => Path.Combine(ssh, k))],
            KeyPassphrase = Variable("HAVEN_SFTP_KEY_PASSPHRASE"),
            KnownHostsFile = knownHosts ?? Path.Combine(ssh, "known_hosts"),
        });
    }

    /// <summary>-o sftp.port applies to a location that names no port; naming two ports is a mistake to point out.</summary>
    private static SftpLocation WithPort(SftpLocation parsed, string location, int? port)
    {
        if (port is not { } value)
        {
            return parsed;
        }

        int urlPort = location.StartsWith("sftp://", StringComparison.Ordinal) && Uri.TryCreate(location, UriKind.Absolute, out var uri) ? uri.Port : -1;
        return urlPort >= 0 && urlPort != value
            ? throw new UsageException($"-o sftp.port={value}, but the repository URL names port {urlPort}: give the port in one place")
            : parsed with { Port = value };
    }

    /// <summary>The key file -o sftp.identity names, else the one the environment variable names; it must exist.</summary>
    private static string? ExistingFile(BackendOptions options, string option, string variable)
    {
        (string? file, string source) = options.Get(option) is { } given ? (given, $"-o {option}") : (Variable(variable), variable);
        return file is null || File.Exists(file) ? file : throw new UsageException($"{source} names {file}, which does not exist");
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static string Home() => Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
