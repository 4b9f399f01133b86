// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>
/// A real OpenSSH ssh-agent (Debian's openssh-client) on a socket of its own, in the foreground
/// (-D) so that disposing it kills it. Keys are generated for the test in a directory that is not
/// one where ssh or Haven look by default, and loaded with ssh-add.
/// </summary>
public sealed class SshAgent : IDisposable
{
    private readonly TempDirectory _directory = new("ssh-agent");
    private readonly RunningProcess _agent;

    public SshAgent()
    {
        SocketPath = _directory.Combine("agent.sock");
        _agent = ProcessRunner.Start("ssh-agent", ["-D", "-a", SocketPath]);
        try
        {
            // The socket file appears at bind(), a moment before listen(): only a connection that is
            // accepted shows the agent is ready (a test under load once got "Connection refused").
            Wait.Until(() => _agent.HasExited || Accepts(SocketPath), TimeSpan.FromSeconds(30), $"ssh-agent to listen on {SocketPath}");
        }
        catch
        {
            _agent.Dispose();
            throw;
        }

        if (_agent.HasExited)
        {
            string log = _agent.CurrentStderr;
            _agent.Dispose();
            throw new InvalidOperationException($"ssh-agent did not start:\n{log}");
        }
    }

    private static bool Accepts(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>The value for SSH_AUTH_SOCK.</summary>
    public string SocketPath { get; }

    public bool IsRunning => !_agent.HasExited;

    /// <summary>Generates a key without a passphrase (ssh-keygen -t type [-b bits]) and returns its private key file; the public key is next to it with .pub.</summary>
    public string GenerateKey(string type, int? bits = null)
    {
        string path = _directory.Combine($"{type}-{bits}-{Guid.NewGuid():N}");
        string[] size = bits is { } b ? ["-b", b.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", type, .. size, "-N", "", "-C", $"agent-test-{type}", "-f", path]);
        return path;
    }

    /// <summary>Loads a private key file into the agent (ssh-add).</summary>
    public void Add(string privateKeyFile) =>
        ProcessRunner.RunChecked("ssh-add", ["-q", privateKeyFile], new ProcessOptions { Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = SocketPath } });

    /// <summary>Kills the agent; its socket file stays behind, as after a crash.</summary>
    public void Kill()
    {
        _agent.Kill();
        Wait.Until(() => _agent.HasExited, TimeSpan.FromSeconds(30), "ssh-agent to die");
    }

    public void Dispose()
    {
        _agent.Dispose();
        _directory.Dispose();
    }
}
