// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp.Agent;

/// <summary>The ssh-agent could not be reached, refused a request or answered something that is not the agent protocol.</summary>
public sealed class SshAgentException : StorageException
{
    public SshAgentException(string message)
        : base(message, permanent: true)
    {
    }

    public SshAgentException(string message, Exception inner)
        : base(message, inner, permanent: true)
    {
    }
}
