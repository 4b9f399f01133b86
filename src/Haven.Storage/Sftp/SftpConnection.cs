// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.Sftp.Agent;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Haven.Storage.Sftp;

/// <summary>
/// One SSH connection with its SFTP session, opened on first use and opened again by the next
/// operation after it was lost. Opening checks the server's host key against known_hosts and
/// logs in with the configured private keys. It never retries by itself: a lost connection fails
/// the operations that were using it, and a retrying decorator decides whether to try again.
/// </summary>
internal sealed class SftpConnection : IAsyncDisposable
{
    private readonly SftpOptions _options;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly Lock _gate = new();
    private Session? _current;
    private bool _disposed;

    public SftpConnection(SftpOptions options)
    {
        _options = options;
    }

    private string Host => _options.Location.Host;

    private int Port => _options.Location.Port;

    /// <summary>
    /// The live connection for one operation, connecting if there is none. Dispose the result when
    /// the operation ends: a connection that was given up is closed only once nobody uses it,
    /// because SSH.NET does not fail the requests of a client disposed under them.
    /// </summary>
    public async Task<Session> AcquireAsync(CancellationToken cancellationToken)
    {
        if (TryAcquireCurrent() is { } session)
        {
            return session;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryAcquireCurrent() is { } again)
            {
                return again;
            }

            var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            string path = _options.Location.Path;
            string root = path.StartsWith('/') ? path : client.WorkingDirectory.TrimEnd('/') + "/" + path;
            var fresh = new Session(this, client, root);
            lock (_gate)
            {
                if (_disposed)
                {
                    client.Dispose();
                    throw new ObjectDisposedException(nameof(SftpConnection));
                }

                if (_current is not null)
                {
                    Retire(_current);
                }

                _current = fresh;
                fresh.Users++;
            }

            return fresh;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Gives up <paramref name="session"/> after it failed, so that the next operation reconnects.</summary>
    public void Forget(Session session)
    {
        lock (_gate)
        {
            if (_current == session)
            {
                _current = null;
                Retire(session);
            }
        }
    }

    /// <summary>True while <paramref name="session"/> is the connection new operations get.</summary>
    public bool IsCurrent(Session session)
    {
        lock (_gate)
        {
            return _current == session;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                _disposed = true;
                if (_current is not null)
                {
                    Retire(_current);
                    _current = null;
                }
            }
        }
        finally
        {
            _connectLock.Release();
        }

        _connectLock.Dispose();
    }

    private Session? TryAcquireCurrent()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is not null && IsConnected(_current.Client))
            {
                _current.Users++;
                return _current;
            }

            return null;
        }
    }

    private static bool IsConnected(SftpClient client)
    {
        try
        {
            return client.IsConnected;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    // Called under _gate.
    private static void Retire(Session session)
    {
        session.Retired = true;
        if (session.Users == 0)
        {
            session.Client.Dispose();
        }
    }

    private void Release(Session session)
    {
        lock (_gate)
        {
            session.Users--;
            if (session.Retired && session.Users == 0)
            {
                session.Client.Dispose();
            }
        }
    }

    /// <summary>One connection in use by one operation; disposing ends that use.</summary>
    internal sealed class Session(SftpConnection owner, SftpClient client, string root) : IDisposable
    {
        public SftpClient Client { get; } = client;

        /// <summary>The repository's absolute path on the server.</summary>
        public string Root { get; } = root;

        public bool IsConnected => SftpConnection.IsConnected(Client);

        internal int Users { get; set; }

        internal bool Retired { get; set; }

        public void Dispose() => owner.Release(this);
    }

    private async Task<SftpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        using var keys = await ClientKeys.LoadAsync(_options, Host, cancellationToken).ConfigureAwait(false);
        string user = _options.Location.User ?? _options.User;
        var info = new ConnectionInfo(Host, Port, user, new PrivateKeyAuthenticationMethod(user, keys.Sources))
        {
            Timeout = _options.ConnectTimeout,
        };
        var knownHosts = KnownHosts.Load(_options.KnownHostsFile);
        LimitHostKeyAlgorithms(info, knownHosts.KeyTypesFor(Host, Port));

        var client = new SftpClient(info)
        {
            OperationTimeout = _options.OperationTimeout,
            KeepAliveInterval = _options.KeepAliveInterval,
        };
        HostKeyRejectedException? rejection = null;
        client.HostKeyReceived += (_, e) =>
        {
            rejection = Judge(knownHosts, e.HostKey);
            e.CanTrust = rejection is null;
        };

        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            client.Dispose();
            throw rejection ?? ConnectFailure(error, user, keys);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private StorageException ConnectFailure(Exception error, string user, ClientKeys keys) => error switch
    {
        SshAuthenticationException => new StorageException(
            $"{user}@{Host} port {Port} refused the ssh keys offered ({keys.Description}): add the public key to the server's authorized_keys, or name another key with -o sftp.identity=FILE",
            error,
            permanent: true),
        SshAgentException agentError => agentError,
        _ => new StorageException($"cannot connect to {Host} port {Port} over SSH: {error.Message}", error),
    };

    private HostKeyRejectedException? Judge(KnownHosts knownHosts, byte[] key)
    {
        var check = knownHosts.Check(Host, Port, key);
        string fingerprint = KnownHosts.Fingerprint(key);
        string type = KnownHosts.KeyTypeOf(key);
        string name = KnownHosts.HostName(Host, Port);
        string file = knownHosts.Path;
        return check.Verdict switch
        {
            HostKeyVerdict.Known => null,
            HostKeyVerdict.Unknown => new HostKeyRejectedException(
                $"the host key of {name} is not known: the server presented {type} {fingerprint}, which is not in {file}. If that is the server's real key, add it with: ssh-keyscan -p {Port} {Host} >> {file}",
                check.Verdict,
                fingerprint),
            HostKeyVerdict.Changed => new HostKeyRejectedException(
                $"WARNING: THE HOST KEY OF {name} HAS CHANGED: {file} line {check.Entry!.LineNumber} lists another {type} key, but the server presented {fingerprint}. Someone may be intercepting the connection; Haven refuses to connect. If the server's key was replaced on purpose, remove the old entry with: ssh-keygen -R '{name}' -f {file}, then add the new one",
                check.Verdict,
                fingerprint),
            _ => new HostKeyRejectedException(
                $"the host key {type} {fingerprint} presented by {name} is marked @revoked in {file} line {check.Entry!.LineNumber}; Haven refuses to connect",
                check.Verdict,
                fingerprint),
        };
    }

    /// <summary>
    /// Asks the server only for key types known_hosts lists for it (as OpenSSH does), so a server
    /// that prefers another type is not mistaken for an unknown one. Certificates are never asked for.
    /// </summary>
    private static void LimitHostKeyAlgorithms(ConnectionInfo info, IReadOnlySet<string> knownTypes)
    {
        foreach (string algorithm in info.HostKeyAlgorithms.Keys.ToList())
        {
            bool certificate = algorithm.Contains("-cert-", StringComparison.Ordinal);
            string keyType = algorithm.StartsWith("rsa-sha2-", StringComparison.Ordinal) ? "ssh-rsa" : algorithm;
            if (certificate || (knownTypes.Count > 0 && !knownTypes.Contains(keyType)))
            {
                info.HostKeyAlgorithms.Remove(algorithm);
            }
        }
    }
}
