// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.Sftp;
using Haven.Testing;

namespace Haven.Storage.Tests.Sftp;

/// <summary>The server's host key must be in known_hosts: never accepted silently.</summary>
public sealed class SftpHostKeyTests : IDisposable
{
    private readonly SshServer _server;
    private readonly TempDirectory _temp = new("sftp-hostkey");

    public SftpHostKeyTests(SshServer server)
    {
        _server = server;
    }

    private string Root => _temp.Combine("repo");

    private string ServerFingerprint => KnownHosts.Fingerprint(Convert.FromBase64String(_server.HostKeyLine.Split(' ')[1]));

    public void Dispose() => _temp.Dispose();

    private async Task<HostKeyRejectedException> CreateWithKnownHostsAsync(params string[] lines)
    {
        string knownHosts = _temp.Combine("known_hosts");
        await File.WriteAllLinesAsync(knownHosts, lines, TestContext.Current.CancellationToken);
        await using var backend = new SftpBackend(SftpTestOptions.For(_server, Root) with { KnownHostsFile = knownHosts });
        var error = await Assert.ThrowsAsync<HostKeyRejectedException>(() => backend.CreateAsync(TestContext.Current.CancellationToken));
        Assert.True(backend.IsPermanentError(error));
        Assert.False(Directory.Exists(Root), "nothing may be written to a server whose key is not trusted");
        return error;
    }

    [Fact]
    public async Task Unknown_host_is_refused_with_its_fingerprint_and_how_to_add_it()
    {
        string knownHosts = _temp.Combine("known_hosts");
        var error = await CreateWithKnownHostsAsync("[127.0.0.2]:22 " + _server.HostKeyLine);

        Assert.Equal(HostKeyVerdict.Unknown, error.Verdict);
        Assert.Equal(ServerFingerprint, error.Fingerprint);
        Assert.Contains($"[127.0.0.1]:{_server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"ssh-ed25519 {ServerFingerprint}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"ssh-keyscan -p {_server.Port} 127.0.0.1 >> {knownHosts}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_known_hosts_file_means_every_host_is_unknown()
    {
        await using var backend = new SftpBackend(SftpTestOptions.For(_server, Root) with { KnownHostsFile = _temp.Combine("absent") });
        var error = await Assert.ThrowsAsync<HostKeyRejectedException>(() => backend.CreateAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HostKeyVerdict.Unknown, error.Verdict);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task Changed_host_key_is_a_loud_refusal_naming_the_stale_line()
    {
        string other = _temp.Combine("other_host_key");
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
        string otherKey = string.Join(' ', File.ReadAllText(other + ".pub").Split(' ')[..2]);

        var error = await CreateWithKnownHostsAsync("# comment", $"[127.0.0.1]:{_server.Port} {otherKey}");

        Assert.Equal(HostKeyVerdict.Changed, error.Verdict);
        Assert.StartsWith($"WARNING: THE HOST KEY OF [127.0.0.1]:{_server.Port} HAS CHANGED", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(ServerFingerprint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_host_key_is_refused()
    {
        var error = await CreateWithKnownHostsAsync($"@revoked * {_server.HostKeyLine}", $"[127.0.0.1]:{_server.Port} {_server.HostKeyLine}");

        Assert.Equal(HostKeyVerdict.Revoked, error.Verdict);
    }

    [Fact]
    public async Task Hashed_known_hosts_entry_is_accepted()
    {
        var ct = TestContext.Current.CancellationToken;
        string knownHosts = _temp.Combine("hashed_known_hosts");
        File.Copy(_server.KnownHostsPath, knownHosts);
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-H", "-f", knownHosts]);
        Assert.StartsWith("|1|", await File.ReadAllTextAsync(knownHosts, ct), StringComparison.Ordinal);

        await using var backend = new SftpBackend(SftpTestOptions.For(_server, Root) with { KnownHostsFile = knownHosts });
        await backend.CreateAsync(ct);

        Assert.True(Directory.Exists(Path.Combine(Root, "keys")));
    }

    [Fact]
    public async Task Key_not_authorized_on_the_server_is_a_permanent_login_error()
    {
        string stranger = _temp.Combine("stranger");
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);

        await using var backend = new SftpBackend(SftpTestOptions.For(_server, Root) with { IdentityFiles = [stranger] });
        var error = await Assert.ThrowsAsync<StorageException>(() => backend.CreateAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsPermanent);
        Assert.Contains($"refused the ssh keys offered ({stranger})", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public async Task Passphrase_protected_key_is_named_as_unusable()
    {
        string locked = _temp.Combine("locked");
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret-passphrase", "-f", locked]);

        await using var backend = new SftpBackend(SftpTestOptions.For(_server, Root) with { IdentityFiles = [locked] });
        var error = await Assert.ThrowsAsync<StorageException>(() => backend.CreateAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsPermanent);
        Assert.Contains($"{locked} is protected by a passphrase", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-passphrase", error.Message, StringComparison.Ordinal);
    }
}
