// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;

namespace Haven.Testing;

/// <summary>
/// A real OpenSSH sshd (Debian's openssh-server) on a free loopback port, started once per test
/// assembly as an xunit assembly fixture and killed, with every session it serves, at the end.
/// Its host key and one client key are generated for the run; only that key may log in, as
/// root, so the server sees the same files as the tests. Each test keeps its repository in its
/// own <see cref="TempDirectory"/> and reaches it through <see cref="Url"/>.
/// </summary>
public sealed class SshServer : IDisposable
{
    public const string SshdPath = "/usr/sbin/sshd";
    public const string User = "root";
    public const string Host = "127.0.0.1";

    private static readonly TimeSpan s_startDeadline = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new("sshd");
    private readonly Lock _authorizedKeysGate = new();
    private RunningProcess _sshd;

    public SshServer()
    {
        if (!File.Exists(SshdPath))
        {
            throw new InvalidOperationException($"{SshdPath} is missing: run ./test.sh, which installs openssh-server");
        }

        // sshd refuses to start without its privilege-separation directory; /run starts empty.
        Directory.CreateDirectory("/run/sshd");
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "haven-test-host", "-f", HostKeyPath]);
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "haven-test-client", "-f", ClientKeyPath]);
        File.Copy(ClientKeyPath + ".pub", _directory.Combine("authorized_keys"));
        Directory.CreateDirectory(LoginDirectory);
        _sshd = StartOnFreePort();
        string[] hostKey = File.ReadAllText(HostKeyPath + ".pub").Split(' ');
        HostKeyLine = $"{hostKey[0]} {hostKey[1]}";
        File.WriteAllText(KnownHostsPath, $"[{Host}]:{Port} {HostKeyLine}\n");
    }

    public int Port { get; private set; }

    /// <summary>The private key that may log in (OpenSSH format, no passphrase).</summary>
    public string ClientKeyPath => _directory.Combine("client_ed25519");

    /// <summary>A known_hosts file listing this server's key under [127.0.0.1]:port.</summary>
    public string KnownHostsPath => _directory.Combine("known_hosts");

    /// <summary>The server's public host key as "type base64", as known_hosts lists it after the host name.</summary>
    public string HostKeyLine { get; }

    public string HostKeyPath => _directory.Combine("host_ed25519");

    /// <summary>Where SFTP sessions start (internal-sftp -d), so relative repository paths land here rather than in /root.</summary>
    public string LoginDirectory => _directory.Combine("login");

    /// <summary>The sshd log (LogLevel VERBOSE) so far.</summary>
    public string Log => _sshd.CurrentStderr;

    /// <summary>The repository URL for an absolute directory on this machine: sftp://root@127.0.0.1:port//dir.</summary>
    public string Url(string absoluteDirectory) => $"sftp://{User}@{Host}:{Port}/{absoluteDirectory}";

    /// <summary>The ssh command restic runs for its sftp backend (-o sftp.command=...).</summary>
    public string ResticSftpCommand =>
        $"ssh -i {ClientKeyPath} -p {Port} -o UserKnownHostsFile={KnownHostsPath} -o StrictHostKeyChecking=yes -o BatchMode=yes {User}@{Host} -s sftp";

    /// <summary>Puts the client key and known_hosts where ssh looks by default: HOME/.ssh/id_ed25519 and HOME/.ssh/known_hosts.</summary>
    public void InstallClientFiles(string homeDirectory)
    {
        string ssh = Directory.CreateDirectory(Path.Combine(homeDirectory, ".ssh")).FullName;
        File.Copy(ClientKeyPath, Path.Combine(ssh, "id_ed25519"), overwrite: true);
        File.Copy(KnownHostsPath, Path.Combine(ssh, "known_hosts"), overwrite: true);
    }

    /// <summary>Lets one more key log in: appends its public key file's line to authorized_keys, which sshd reads at every login.</summary>
    public void Authorize(string publicKeyFile)
    {
        lock (_authorizedKeysGate)
        {
            File.AppendAllText(_directory.Combine("authorized_keys"), File.ReadAllText(publicKeyFile).TrimEnd() + "\n");
        }
    }

    /// <summary>
    /// Cuts every open SSH connection, as a network drop would: kills (SIGKILL) the sshd processes
    /// serving sessions, found as descendants of this server's listener. The listener stays up.
    /// Returns how many processes were killed.
    /// </summary>
    public int CutConnections()
    {
        int killed = 0;
        foreach (int pid in Descendants(_sshd.Id))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                killed++;
            }
            catch (ArgumentException)
            {
                // It ended on its own in the meantime.
            }
        }

        return killed;
    }

    /// <summary>How many sshd processes are serving sessions now.</summary>
    public int SessionProcessCount => Descendants(_sshd.Id).Count;

    public void Dispose()
    {
        _sshd.Dispose();
        _directory.Dispose();
    }

    private RunningProcess StartOnFreePort()
    {
        // A free port can be taken by someone else between probing and binding: try a few.
        for (int attempt = 1; ; attempt++)
        {
            Port = LoopbackPort.Free();
            string config = WriteConfig();
            var sshd = ProcessRunner.Start(SshdPath, ["-D", "-e", "-f", config]);
            try
            {
                Wait.Until(
                    () => sshd.HasExited || sshd.CurrentStderr.Contains($"Server listening on {Host} port {Port}", StringComparison.Ordinal),
                    s_startDeadline,
                    $"sshd to listen on {Host}:{Port}");
            }
            catch
            {
                sshd.Dispose();
                throw;
            }

            if (!sshd.HasExited)
            {
                return sshd;
            }

            string log = sshd.CurrentStderr;
            sshd.Dispose();
            if (attempt == 3 || !log.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"sshd did not start:\n{log}");
            }
        }
    }

    private string WriteConfig()
    {
        string path = _directory.Combine("sshd_config");
        File.WriteAllLines(path,
        [
            $"ListenAddress {Host}:{Port}",
            $"HostKey {HostKeyPath}",
            $"PidFile {_directory.Combine("sshd.pid")}",
            $"AuthorizedKeysFile {_directory.Combine("authorized_keys")}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "StrictModes no",
            "UsePAM no",
            "MaxSessions 50",
            "MaxStartups 50",
            $"Subsystem sftp internal-sftp -d {LoginDirectory}",
            "LogLevel VERBOSE",
        ]);
        return path;
    }

    private static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // The command name in parentheses may hold spaces; the parent PID is the second field after it.
            string[] after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int parent = int.Parse(after[1], System.Globalization.CultureInfo.InvariantCulture);
            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        var result = new List<int>();
        var pending = new Stack<int>([root]);
        while (pending.Count > 0)
        {
            if (children.TryGetValue(pending.Pop(), out var kids))
            {
                result.AddRange(kids);
                kids.ForEach(pending.Push);
            }
        }

        return result;
    }
}
