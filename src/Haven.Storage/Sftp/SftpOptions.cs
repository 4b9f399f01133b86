// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp;

/// <summary>
/// How to reach and trust an SFTP server. The caller (the CLI) resolves users, key files and the
/// known_hosts file from the environment; the backend reads nothing ambient.
/// </summary>
public sealed record SftpOptions
{
    public required SftpLocation Location { get; init; }

    /// <summary>The user to log in as when the location names none.</summary>
    public required string User { get; init; }

    /// <summary>The Unix socket of an ssh-agent whose keys are offered before the key files; null for none. An agent that does not answer is skipped.</summary>
    public string? AgentSocket { get; init; }

    /// <summary>Private key files to offer, in order. Files that do not exist are skipped.</summary>
    public IReadOnlyList<string> IdentityFiles { get; init; } = [];

    /// <summary>The passphrase that unlocks encrypted key files; null when none was given.</summary>
    public string? KeyPassphrase { get; init; }

    /// <summary>The OpenSSH known_hosts file the server's host key must be listed in.</summary>
    public required string KnownHostsFile { get; init; }

    /// <summary>How long connecting and logging in may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one SFTP request may wait for its answer before the connection counts as lost.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an idle connection is probed, so that a silently dead one is noticed.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);
}
