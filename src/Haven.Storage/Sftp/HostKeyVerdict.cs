// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp;

/// <summary>What a known_hosts file says about the key a server presented.</summary>
public enum HostKeyVerdict
{
    /// <summary>The key is listed for this host: connect.</summary>
    Known,

    /// <summary>Nothing is listed for this host and key type: the user must add the key first.</summary>
    Unknown,

    /// <summary>Another key of the same type is listed for this host: possibly an attack.</summary>
    Changed,

    /// <summary>The key is marked @revoked.</summary>
    Revoked,
}
