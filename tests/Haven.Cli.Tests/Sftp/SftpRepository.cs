// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Sftp;

/// <summary>
/// One test's repository on the test sshd, with the haven CLI (its private HOME holding the
/// client key and known_hosts where ssh keeps them) and real restic (through the system ssh
/// client) both bound to the same sftp URL. The server is this machine, so the test can also look
/// at the repository's files directly under <see cref="Path"/>.
/// </summary>
public sealed class SftpRepository : IDisposable
{
    public const string Password = Restic.DefaultPassword;

    private readonly TempDirectory _temp = new("sftp-cli");

    public SftpRepository(SshServer server, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Server = server;
        Path = _temp.Combine("repo");
        Url = server.Url(Path);
        string home = _temp.CreateSubdirectory("home");
        server.InstallClientFiles(home);
        Haven = new HavenCli(Url, Password, home, environment);
        Restic = new Restic(Url, Password);
    }

    public SshServer Server { get; }

    /// <summary>The repository's directory as the server (this machine) sees it.</summary>
    public string Path { get; }

    public string Url { get; }

    public HavenCli Haven { get; }

    public Restic Restic { get; }

    /// <summary>A fresh, not yet existing path inside this test's temporary directory.</summary>
    public string NewPath(string name) => _temp.Combine($"{name}-{Guid.NewGuid():N}");

    /// <summary>Runs restic with its sftp backend reaching the test server through the system ssh client.</summary>
    public ProcessResult ResticChecked(params string[] args) => Restic.RunChecked(["-o", $"sftp.command={Server.ResticSftpCommand}", .. args]);

    /// <summary>Real restic reads every pack over SFTP and finds no error.</summary>
    public void AssertResticCheckPasses()
    {
        var result = Restic.Run(["-o", $"sftp.command={Server.ResticSftpCommand}", "check", "--read-data"]);
        Assert.True(result.ExitCode == 0 && result.Stdout.Contains("no errors were found", StringComparison.Ordinal),
            $"restic check exited {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
    }

    public void Dispose() => _temp.Dispose();
}
