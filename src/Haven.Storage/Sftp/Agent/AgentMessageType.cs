// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp.Agent;

/// <summary>The ssh-agent protocol messages Haven uses (draft-miller-ssh-agent, section 6.1).</summary>
internal enum AgentMessageType : byte
{
    Failure = 5,
    RequestIdentities = 11,
    IdentitiesAnswer = 12,
    SignRequest = 13,
    SignResponse = 14,
}
