// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Format;
using Haven.Storage.Sftp;
using Haven.Testing;

namespace Haven.Storage.Tests.Sftp.Agent;

/// <summary>Logging in to the real sshd with keys that only a real ssh-agent holds, and falling back to key files as ssh does.</summary>
public sealed class SftpAgentLoginTests(SshServer server) : IDisposable
{
    private readonly SshAgent _agent = new();
    private readonly TempDirectory _temp = new("sftp-agent");

    public void Dispose()
    {
        _agent.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("ed25519", null)]
    [InlineData("ecdsa", 256)]
    [InlineData("ecdsa", 384)]
    [InlineData("rsa", 3072)]
    public async Task A_key_held_only_by_the_agent_logs_in(string type, int? bits)
    {
        var ct = TestContext.Current.CancellationToken;
        string key = _agent.GenerateKey(type, bits);
        server.Authorize(key + ".pub");
        _agent.Add(key);
        File.Delete(key);

        await AssertRoundTripAsync(Options() with { AgentSocket = _agent.SocketPath }, ct);

        // "256 SHA256:... comment (ED25519)": sshd logs the fingerprint of the key it accepted.
        string fingerprint = ProcessRunner.RunChecked("ssh-keygen", ["-l", "-f", key + ".pub"]).Stdout.Split(' ')[1];
        Assert.Contains($"Accepted publickey for root from 127.0.0.1", server.Log, StringComparison.Ordinal);
        Assert.Contains(fingerprint, server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_keys_come_first_and_a_refused_one_does_not_stop_the_key_files()
    {
        var ct = TestContext.Current.CancellationToken;
        // Held by the agent but not authorized on the server.
        _agent.Add(_agent.GenerateKey("ed25519"));

        await AssertRoundTripAsync(Options() with { AgentSocket = _agent.SocketPath, IdentityFiles = [server.ClientKeyPath] }, ct);
    }

    [Fact]
    public async Task A_dead_agent_falls_back_to_the_key_files()
    {
        var ct = TestContext.Current.CancellationToken;
        _agent.Kill();

        await AssertRoundTripAsync(Options() with { AgentSocket = _agent.SocketPath, IdentityFiles = [server.ClientKeyPath] }, ct);
        await AssertRoundTripAsync(Options() with { AgentSocket = _temp.Combine("no-such-socket"), IdentityFiles = [server.ClientKeyPath] }, ct);
    }

    [Fact]
    public async Task A_dead_agent_and_no_key_file_is_one_permanent_error_naming_both()
    {
        var ct = TestContext.Current.CancellationToken;
        _agent.Kill();
        await using var backend = new SftpBackend(Options() with { AgentSocket = _agent.SocketPath, IdentityFiles = [_temp.Combine("id_ed25519")] });

        var error = await Assert.ThrowsAsync<StorageException>(() => backend.CreateAsync(ct));

        Assert.True(backend.IsPermanentError(error));
        Assert.Contains("no usable ssh private key to log in to 127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"no ssh-agent answers at {_agent.SocketPath}", error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp.Combine("id_ed25519"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_encrypted_key_file_opens_with_the_passphrase_and_says_what_to_do_without_it()
    {
        var ct = TestContext.Current.CancellationToken;
        string key = _temp.Combine("locked_ed25519");
        ProcessRunner.RunChecked("ssh-keygen", ["-q", "-t", "ed25519", "-N", "correct horse", "-C", "locked", "-f", key]);
        server.Authorize(key + ".pub");

        await AssertRoundTripAsync(Options() with { IdentityFiles = [key], KeyPassphrase = "correct horse" }, ct);

        await using var without = new SftpBackend(Options() with { IdentityFiles = [key] });
        var missing = await Assert.ThrowsAsync<StorageException>(() => without.CreateAsync(ct));
        Assert.Contains($"{key} is protected by a passphrase: set HAVEN_SFTP_KEY_PASSPHRASE", missing.Message, StringComparison.Ordinal);

        await using var wrong = new SftpBackend(Options() with { IdentityFiles = [key], KeyPassphrase = "wrong" });
        var refused = await Assert.ThrowsAsync<StorageException>(() => wrong.CreateAsync(ct));
        Assert.Contains($"{key} does not open with the passphrase in HAVEN_SFTP_KEY_PASSPHRASE", refused.Message, StringComparison.Ordinal);
    }

    private SftpOptions Options() => SftpTestOptions.For(server, _temp.Combine($"repo-{Guid.NewGuid():N}")) with { IdentityFiles = [] };

    private static async Task AssertRoundTripAsync(SftpOptions options, CancellationToken ct)
    {
        await using var backend = new SftpBackend(options);
        await backend.CreateAsync(ct);
        byte[] content = RandomNumberGenerator.GetBytes(1000);
        var handle = FileHandle.For(FileType.Snapshot, Id.Hash(content));
        await backend.SaveAsync(handle, content, ct);
        Assert.Equal(content, await backend.LoadAsync(handle, 0, 0, ct));
    }
}
