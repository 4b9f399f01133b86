// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Sftp;

/// <summary>The whole cycle through the CLI on an sftp: repository, and restic 0.14 on the same repository both ways.</summary>
public sealed class SftpCliTests(SshServer server, GeneratedTreeFixture tree) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private readonly SftpRepository _repository = new(server);

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Init_backup_restore_and_check_work_over_sftp_and_restic_agrees()
    {
        var init = _repository.Haven.RunChecked("init");
        Assert.Contains(_repository.Url, init.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_repository.Path, "config")));

        _repository.Haven.RunChecked("backup", tree.Path);
        string target = _repository.NewPath("restore");
        _repository.Haven.RunChecked("restore", "latest", "--target", target);
        var check = _repository.Haven.RunChecked("check", "--read-data");

        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--sparse");
        Assert.Contains("no errors were found", check.Stdout, StringComparison.Ordinal);
        _repository.AssertResticCheckPasses();
    }

    [Fact]
    public void Restic_restores_what_haven_backed_up_over_sftp()
    {
        _repository.Haven.RunChecked("init");
        _repository.Haven.RunChecked("backup", tree.Path);

        string target = _repository.NewPath("restic-restore");
        _repository.ResticChecked("restore", "latest", "--target", target, "--exclude", tree.Path + "/long");

        // restic 0.14 cannot restore the >4096-byte path nor a non-UTF-8 symlink target, whoever wrote the repository.
        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--ignore", "long", "--ignore", "links/odd-target");
    }

    [Fact]
    public void Haven_reads_checks_and_extends_a_repository_restic_made_over_sftp()
    {
        _repository.ResticChecked("init");
        _repository.ResticChecked("backup", "--exclude", tree.Path + "/long", tree.Path);

        var snapshots = _repository.Haven.RunChecked("snapshots");
        Assert.Contains(tree.Path, snapshots.Stdout, StringComparison.Ordinal);
        Assert.Contains("no errors were found", _repository.Haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        string target = _repository.NewPath("haven-restore");
        _repository.Haven.RunChecked("restore", "latest", "--target", target);
        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--sparse", "--ignore", "long", "--ignore", "links/odd-target");

        _repository.Haven.RunChecked("backup", tree.Path);
        var listed = _repository.ResticChecked("snapshots", "--json");
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(listed.Stdout).RootElement.GetArrayLength());
        _repository.AssertResticCheckPasses();
    }

    [Fact]
    public void Unknown_host_key_exits_1_with_the_fingerprint_and_nothing_written()
    {
        File.Delete(Path.Combine(_repository.Haven.HomeDirectory, ".ssh", "known_hosts"));

        var result = _repository.Haven.Run("init");

        Assert.Equal(ExitCodes.Fatal, result.ExitCode);
        string fingerprint = Haven.Storage.Sftp.KnownHosts.Fingerprint(Convert.FromBase64String(server.HostKeyLine.Split(' ')[1]));
        string knownHosts = Path.Combine(_repository.Haven.HomeDirectory, ".ssh", "known_hosts");
        Assert.Contains($"the host key of [127.0.0.1]:{server.Port} is not known: the server presented ssh-ed25519 {fingerprint}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"ssh-keyscan -p {server.Port} 127.0.0.1 >> {knownHosts}", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(_repository.Path));
    }

    [Fact]
    public void Identity_and_known_hosts_can_be_named_by_environment()
    {
        var env = new Dictionary<string, string?>
        {
            ["HAVEN_SFTP_IDENTITY"] = server.ClientKeyPath,
            ["HAVEN_SFTP_KNOWN_HOSTS"] = server.KnownHostsPath,
        };
        Directory.Delete(Path.Combine(_repository.Haven.HomeDirectory, ".ssh"), recursive: true);
        var haven = new HavenCli(_repository.Url, SftpRepository.Password, _repository.Haven.HomeDirectory, env);

        haven.RunChecked("init");

        Assert.True(File.Exists(Path.Combine(_repository.Path, "config")));
    }

    [Fact]
    public void Missing_key_says_where_it_looked()
    {
        File.Delete(Path.Combine(_repository.Haven.HomeDirectory, ".ssh", "id_ed25519"));

        var result = _repository.Haven.Run("init");

        Assert.Equal(ExitCodes.Fatal, result.ExitCode);
        Assert.Contains("no usable ssh private key to log in to 127.0.0.1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_repository.Haven.HomeDirectory, ".ssh", "id_rsa"), result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_sftp_location_is_a_usage_error()
    {
        var haven = new HavenCli("sftp:root@127.0.0.1", SftpRepository.Password, _repository.Haven.HomeDirectory);

        var result = haven.Run("init");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("has no path", result.Stderr, StringComparison.Ordinal);
    }
}
