// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Sftp;

/// <summary>The -o sftp.* options, which win over the environment, and the errors that are not retried.</summary>
public sealed class SftpOptionTests(SshServer server) : IDisposable
{
    private readonly SftpRepository _repository = new(server);
    private readonly TempDirectory _temp = new("sftp-options");

    public void Dispose()
    {
        _temp.Dispose();
        _repository.Dispose();
    }

    private string Home => _repository.Haven.HomeDirectory;

    [Fact]
    public void Identity_option_wins_over_the_environment_and_a_refused_key_is_not_retried()
    {
        File.Delete(Path.Combine(Home, ".ssh", "id_ed25519"));
        string stranger = _temp.Combine("stranger_ed25519");
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
        var haven = new HavenCli(_repository.Url, SftpRepository.Password, Home, new Dictionary<string, string?> { ["HAVEN_SFTP_IDENTITY"] = stranger });

        var refused = haven.Run("-o", "retry.max-time=5m", "init");
        Assert.Equal(ExitCodes.Fatal, refused.ExitCode);
        string line = Assert.Single(refused.Stderr.Trim().Split('\n'));
        Assert.Contains($"refused the ssh keys offered ({stranger})", line, StringComparison.Ordinal);

        haven.RunChecked("-o", $"sftp.identity={server.ClientKeyPath}", "init");
        Assert.True(File.Exists(Path.Combine(_repository.Path, "config")));
    }

    [Fact]
    public void Known_hosts_and_port_can_be_given_as_options()
    {
        File.Delete(Path.Combine(Home, ".ssh", "known_hosts"));
        // The scp-like spelling has no room for a port.
        var haven = new HavenCli($"sftp:root@127.0.0.1:{_repository.Path}", SftpRepository.Password, Home);

        haven.RunChecked("-o", $"sftp.known-hosts={server.KnownHostsPath}", "-o", $"sftp.port={server.Port}", "init");

        Assert.True(File.Exists(Path.Combine(_repository.Path, "config")));
    }

    [Fact]
    public void A_port_given_twice_differently_is_a_usage_error()
    {
        var result = _repository.Haven.Run("-o", "sftp.port=2222", "init");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"-o sftp.port=2222, but the repository URL names port {server.Port}: give the port in one place", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_repository.Path));
    }

    [Theory]
    [InlineData("sftp.colour=blue", "-o sftp.colour: unknown backend option; the options are retry.attempts, retry.max-time, rest.ca, s3.connections, s3.object-lock-days, s3.object-lock-mode, s3.region, s3.timeout, sftp.identity, sftp.known-hosts, sftp.port")]
    [InlineData("rest.password=hunter2", "-o rest.password: credentials are never taken from the command line")]
    [InlineData("retry.max-time=30", "-o retry.max-time=30: give a duration from 0s to 168h with its unit, for example 30s, 2m or 1h30m")]
    [InlineData("retry.attempts=0", "-o retry.attempts=0: give a whole number from 1 to 1000")]
    [InlineData("sftp.identity=/nonexistent/key", "-o sftp.identity names /nonexistent/key, which does not exist")]
    public void A_bad_option_is_a_usage_error_that_says_what_to_write(string option, string message)
    {
        var result = _repository.Haven.Run("-o", option, "init");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_repository.Path));
    }
}
