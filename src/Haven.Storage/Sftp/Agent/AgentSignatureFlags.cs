// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp.Agent;

/// <summary>Flags of a sign request: for an RSA key they choose the hash (draft-miller-ssh-agent, section 6.3.1).</summary>
[Flags]
public enum AgentSignatureFlags : uint
{
    None = 0,
    RsaSha2256 = 2,
    RsaSha2512 = 4,
}
