// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp.Agent;

/// <summary>A key an ssh-agent holds: its public key in SSH wire format (as in a .pub file, before base64) and its comment.</summary>
public sealed record AgentIdentity(byte[] PublicKey, string Comment)
{
    /// <summary>The key type the public key names first: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, ...</summary>
    public string KeyType => new SshWireReader(PublicKey).ReadText();
}
