// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage;
using Haven.Storage.Sftp;

namespace Haven.Cli;

/// <summary>
/// What the environment says about reaching an SFTP repository, read as ssh reads it: the
/// user's keys (~/.ssh/id_ed25519, id_ecdsa, id_rsa, or the one file $HAVEN_SFTP_IDENTITY names)
/// and ~/.ssh/known_hosts (or $HAVEN_SFTP_KNOWN_HOSTS). SSH.NET has no ssh-agent client, so the
/// agent is not used.
/// </summary>
internal static class SftpEnvironment
{
    private static readonly string[] s_defaultKeys = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static IBackend CreateBackend(string location)
    {
        SftpLocation parsed;
        try
        {
            parsed = SftpLocation.Parse(location);
        }
        catch (FormatException error)
        {
            throw new UsageException(error.Message);
        }

        string ssh = Path.Combine(Home(), ".ssh");
        string? identity = Variable("HAVEN_SFTP_IDENTITY");
        if (identity is not null && !File.Exists(identity))
        {
            throw new UsageException($"HAVEN_SFTP_IDENTITY names {identity}, which does not exist");
        }

        return new SftpBackend(new SftpOptions
        {
            Location = parsed,
            User = Variable("USER") ?? Environment.UserName,
            IdentityFiles = identity is not null ? [identity] : [.. s_defaultKeys.Select(k => Path.Combine(ssh, k))],
            KnownHostsFile = Variable("HAVEN_SFTP_KNOWN_HOSTS") ?? Path.Combine(ssh, "known_hosts"),
        });
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static string Home() => Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
