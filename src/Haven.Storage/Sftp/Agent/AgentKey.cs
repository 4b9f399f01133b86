// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Renci.SshNet;
using Renci.SshNet.Security;

namespace Haven.Storage.Sftp.Agent;

/// <summary>
/// One key of an ssh-agent, offered to SSH.NET as a private key source: SSH.NET sees the public key,
/// and every signature is asked of the agent. An RSA key is offered with rsa-sha2-512, then
/// rsa-sha2-256, then ssh-rsa, as OpenSSH offers it.
/// </summary>
public sealed class AgentKey : IPrivateKeySource
{
    private AgentKey(AgentIdentity identity, IReadOnlyCollection<HostAlgorithm> algorithms)
    {
        Identity = identity;
        HostKeyAlgorithms = algorithms;
    }

    public AgentIdentity Identity { get; }

    public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }

    /// <summary>The key as SSH.NET's private key source, or null for a type SSH.NET cannot use (a certificate, a security key, DSA).</summary>
    public static AgentKey? TryCreate(SshAgentClient agent, AgentIdentity identity)
    {
        Key? key;
        try
        {
            var data = new SshKeyData(identity.PublicKey);
            key = data.Name switch
            {
                "ssh-ed25519" => new ED25519Key(data),
                "ssh-rsa" => new RsaKey(data),
                "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521" => new EcdsaKey(data),
                _ => null,
            };
        }
        catch (Exception error) when (error is ArgumentException or FormatException or InvalidOperationException or Renci.SshNet.Common.SshException)
        {
            return null;
        }

        if (key is null)
        {
            return null;
        }

        HostAlgorithm Algorithm(string name, AgentSignatureFlags flags) => new KeyHostAlgorithm(name, key, new AgentSignature(agent, identity, name, flags));
        return new AgentKey(identity, key is RsaKey
            ? [Algorithm("rsa-sha2-512", AgentSignatureFlags.RsaSha2512), Algorithm("rsa-sha2-256", AgentSignatureFlags.RsaSha2256), Algorithm("ssh-rsa", AgentSignatureFlags.None)]
            : [Algorithm(key.ToString() ?? identity.KeyType, AgentSignatureFlags.None)]);
    }
}
