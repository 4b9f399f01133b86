// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp;

/// <summary>One key line of a known_hosts file: its host patterns (maybe hashed), key type and key.</summary>
public sealed record KnownHostEntry(int LineNumber, string? Marker, string Hosts, string KeyType, byte[] Key)
{
    public bool IsRevoked => Marker == "@revoked";
}
