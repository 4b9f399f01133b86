// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.Sftp.Agent;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Haven.Storage.Sftp;

/// <summary>
/// The keys offered to the server for one login, in ssh's order: the ssh-agent's first, then the
/// key files. An agent that is not running is skipped, as ssh skips it; it is named in the error
/// only when no key at all is left.
/// </summary>
internal sealed class ClientKeys : IDisposable
{
    private readonly SshAgentClient? _agent;
    private readonly List<PrivateKeyFile> _files;
    private readonly List<AgentKey> _agentKeys;

    private ClientKeys(SshAgentClient? agent, List<AgentKey> agentKeys, List<PrivateKeyFile> files, List<string> fileNames)
    {
        _agent = agent;
        _agentKeys = agentKeys;
        _files = files;
        FileNames = fileNames;
    }

    public IPrivateKeySource[] Sources => [.. _agentKeys, .. _files];

    /// <summary>The key files offered, for messages.</summary>
    public IReadOnlyList<string> FileNames { get; }

    /// <summary>What was offered, for the message when the server refuses it all.</summary>
    public string Description
    {
        get
        {
            var parts = new List<string>();
            if (_agentKeys.Count > 0)
            {
                parts.Add($"{_agentKeys.Count} key(s) of the ssh-agent at {_agent!.SocketPath} ({string.Join(", ", _agentKeys.Select(k => k.Identity.Comment))})");
            }

            parts.AddRange(FileNames);
            return string.Join(", ", parts);
        }
    }

    public static async Task<ClientKeys> LoadAsync(SftpOptions options, string host, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var (agent, agentKeys) = await AskAgentAsync(options.AgentSocket, problems, cancellationToken).ConfigureAwait(false);
        var files = new List<PrivateKeyFile>();
        var names = new List<string>();
        foreach (string file in options.IdentityFiles.Where(File.Exists))
        {
            if (ReadKeyFile(file, options.KeyPassphrase, problems) is { } key)
            {
                files.Add(key);
                names.Add(file);
            }
        }

        if (agentKeys.Count == 0 && files.Count == 0)
        {
            agent?.Dispose();
            string tried = options.IdentityFiles.Count == 0 ? "no key file was given" : "looked for " + string.Join(", ", options.IdentityFiles);
            string detail = problems.Count > 0 ? $" ({tried}; {string.Join("; ", problems)})" : $" ({tried})";
            throw new StorageException(
                $"no usable ssh private key to log in to {host}{detail}; add one to ssh-agent with ssh-add, create one with ssh-keygen, or name one with -o sftp.identity=FILE",
                permanent: true);
        }

        return new ClientKeys(agent, agentKeys, files, names);
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }

        _agent?.Dispose();
    }

    private static async Task<(SshAgentClient? Agent, List<AgentKey> Keys)> AskAgentAsync(string? socket, List<string> problems, CancellationToken cancellationToken)
    {
        if (socket is null)
        {
            return (null, []);
        }

        SshAgentClient? agent = null;
        try
        {
            agent = await SshAgentClient.ConnectAsync(socket, cancellationToken).ConfigureAwait(false);
            var keys = (await agent.RequestIdentitiesAsync(cancellationToken).ConfigureAwait(false))
                .Select(identity => AgentKey.TryCreate(agent, identity))
                .OfType<AgentKey>()
                .ToList();
            if (keys.Count == 0)
            {
                problems.Add($"the ssh-agent at {socket} holds no key Haven can use");
            }

            return (agent, keys);
        }
        catch (SshAgentException error)
        {
            agent?.Dispose();
            problems.Add(error.Message);
            return (null, []);
        }
    }

    private static PrivateKeyFile? ReadKeyFile(string file, string? passphrase, List<string> problems)
    {
        try
        {
            return passphrase is null ? new PrivateKeyFile(file) : new PrivateKeyFile(file, passphrase);
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            problems.Add($"{file} is protected by a passphrase: set HAVEN_SFTP_KEY_PASSPHRASE, or add the key to ssh-agent with ssh-add");
        }
        catch (Exception error) when (passphrase is not null && error is SshException or System.Security.Cryptography.CryptographicException)
        {
            problems.Add($"{file} does not open with the passphrase in HAVEN_SFTP_KEY_PASSPHRASE ({error.Message})");
        }
        catch (Exception error) when (error is SshException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            problems.Add($"{file} cannot be read as a private key ({error.Message})");
        }

        return null;
    }
}
