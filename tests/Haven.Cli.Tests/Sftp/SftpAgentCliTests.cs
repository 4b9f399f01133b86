// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Sftp;

/// <summary>The CLI logs in with the keys of a real ssh-agent at $SSH_AUTH_SOCK, as ssh does, and without one falls back to the key files.</summary>
public sealed class SftpAgentCliTests(SshServer server) : IDisposable
{
    private readonly SftpRepository _repository = new(server);
    private readonly SshAgent _agent = new();

    public void Dispose()
    {
        _agent.Dispose();
        _repository.Dispose();
    }

    [Fact]
    public void Backup_restore_and_check_over_sftp_with_a_key_only_the_agent_holds()
    {
        string home = _repository.Haven.HomeDirectory;
        File.Delete(Path.Combine(home, ".ssh", "id_ed25519"));
        string key = _agent.GenerateKey("ecdsa", 256);
        server.Authorize(key + ".pub");
        _agent.Add(key);
        File.Delete(key);
        var haven = new HavenCli(_repository.Url, SftpRepository.Password, home, new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = _agent.SocketPath });
        string source = _repository.NewPath("source");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "kept by the agent");

        haven.RunChecked("init");
        haven.RunChecked("backup", source);
        string target = _repository.NewPath("restore");
        haven.RunChecked("restore", "latest", "--target", target);

        FileTree.AssertIdentical(source, target + source);
        Assert.Contains("no errors were found", haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        // An sftp repository is remote: its index and trees are cached like an S3 one's.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(home, "cache", "haven"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_dead_agent_falls_back_to_the_key_file_and_says_nothing()
    {
        _agent.Kill();
        var haven = new HavenCli(_repository.Url, SftpRepository.Password, _repository.Haven.HomeDirectory, new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = _agent.SocketPath });

        var init = haven.RunChecked("init");

        Assert.Equal(string.Empty, init.Stderr);
        Assert.True(File.Exists(Path.Combine(_repository.Path, "config")));
    }
}
