// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp;

/// <summary>The server's host key is not one known_hosts vouches for; trying again cannot help.</summary>
public sealed class HostKeyRejectedException : StorageException
{
    public HostKeyRejectedException(string message, HostKeyVerdict verdict, string fingerprint)
        : base(message, permanent: true)
    {
        Verdict = verdict;
        Fingerprint = fingerprint;
    }

    public HostKeyVerdict Verdict { get; }

    /// <summary>The SHA256 fingerprint of the key the server presented.</summary>
    public string Fingerprint { get; }
}
