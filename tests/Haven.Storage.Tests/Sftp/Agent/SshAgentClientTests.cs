// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Storage.Sftp.Agent;
using Haven.Testing;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace Haven.Storage.Tests.Sftp.Agent;

/// <summary>The ssh-agent protocol client against a real OpenSSH ssh-agent.</summary>
public sealed class SshAgentClientTests : IDisposable
{
    private readonly SshAgent _agent = new();

    public void Dispose() => _agent.Dispose();

    [Fact]
    public async Task An_empty_agent_lists_no_keys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = await SshAgentClient.ConnectAsync(_agent.SocketPath, ct);

        Assert.Empty(await client.RequestIdentitiesAsync(ct));
    }

    [Fact]
    public async Task Keys_are_listed_in_the_order_added_with_their_public_key_and_comment()
    {
        var ct = TestContext.Current.CancellationToken;
        string[] files = [_agent.GenerateKey("ed25519"), _agent.GenerateKey("ecdsa", 384), _agent.GenerateKey("rsa", 3072)];
        foreach (string file in files)
        {
            _agent.Add(file);
        }

        using var client = await SshAgentClient.ConnectAsync(_agent.SocketPath, ct);
        var identities = await client.RequestIdentitiesAsync(ct);

        Assert.Equal(files.Length, identities.Count);
        for (int i = 0; i < files.Length; i++)
        {
            string[] pub = File.ReadAllText(files[i] + ".pub").Trim().Split(' ');
            Assert.Equal(pub[0], identities[i].KeyType);
            Assert.Equal(Convert.FromBase64String(pub[1]), identities[i].PublicKey);
            Assert.Equal(pub[2], identities[i].Comment);
        }
    }

    [Theory]
    [InlineData("ed25519", null, AgentSignatureFlags.None, "ssh-ed25519")]
    [InlineData("ecdsa", 256, AgentSignatureFlags.None, "ecdsa-sha2-nistp256")]
    [InlineData("ecdsa", 521, AgentSignatureFlags.None, "ecdsa-sha2-nistp521")]
    [InlineData("rsa", 2048, AgentSignatureFlags.RsaSha2256, "rsa-sha2-256")]
    [InlineData("rsa", 2048, AgentSignatureFlags.RsaSha2512, "rsa-sha2-512")]
    public async Task A_signature_names_the_algorithm_asked_for_and_verifies_with_the_public_key(string type, int? bits, AgentSignatureFlags flags, string algorithm)
    {
        var ct = TestContext.Current.CancellationToken;
        string file = _agent.GenerateKey(type, bits);
        _agent.Add(file);
        using var client = await SshAgentClient.ConnectAsync(_agent.SocketPath, ct);
        var identity = Assert.Single(await client.RequestIdentitiesAsync(ct));
        byte[] data = RandomNumberGenerator.GetBytes(200);

        byte[] blob = client.Sign(identity.PublicKey, data, flags);

        Assert.Equal(algorithm, AlgorithmOf(blob));
        Assert.True(Verifier(algorithm, identity).VerifySignature(data, blob), "the agent's signature does not verify");
        data[0] ^= 1;
        Assert.False(Verifier(algorithm, identity).VerifySignature(data, blob), "a signature of other data verifies");
    }

    [Fact]
    public async Task Signing_with_a_key_the_agent_does_not_hold_is_refused_with_a_clear_error()
    {
        var ct = TestContext.Current.CancellationToken;
        string file = _agent.GenerateKey("ed25519");
        using var client = await SshAgentClient.ConnectAsync(_agent.SocketPath, ct);
        byte[] publicKey = Convert.FromBase64String(File.ReadAllText(file + ".pub").Split(' ')[1]);

        var error = Assert.Throws<SshAgentException>(() => client.Sign(publicKey, [1, 2, 3], AgentSignatureFlags.None));

        Assert.Contains($"the ssh-agent at {_agent.SocketPath} refused to sign", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_agent_is_a_clear_error_naming_its_socket()
    {
        var ct = TestContext.Current.CancellationToken;
        _agent.Kill();

        var error = await Assert.ThrowsAsync<SshAgentException>(() => SshAgentClient.ConnectAsync(_agent.SocketPath, ct));

        Assert.StartsWith($"no ssh-agent answers at {_agent.SocketPath}", error.Message, StringComparison.Ordinal);
    }

    private static string AlgorithmOf(byte[] blob)
    {
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(blob);
        return System.Text.Encoding.ASCII.GetString(blob, 4, length);
    }

    private static Key PublicKeyOf(AgentIdentity identity)
    {
        var data = new SshKeyData(identity.PublicKey);
        return data.Name switch
        {
            "ssh-ed25519" => new ED25519Key(data),
            "ssh-rsa" => new RsaKey(data),
            _ => new EcdsaKey(data),
        };
    }

    private static KeyHostAlgorithm Verifier(string algorithm, AgentIdentity identity)
    {
        var key = PublicKeyOf(identity);
        return algorithm switch
        {
            "rsa-sha2-256" => new KeyHostAlgorithm(algorithm, key, new RsaDigitalSignature((RsaKey)key, HashAlgorithmName.SHA256)),
            "rsa-sha2-512" => new KeyHostAlgorithm(algorithm, key, new RsaDigitalSignature((RsaKey)key, HashAlgorithmName.SHA512)),
            _ => new KeyHostAlgorithm(algorithm, key),
        };
    }
}
