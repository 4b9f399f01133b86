// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Sftp;

/// <summary>The verdict on a presented host key and the known_hosts line behind it, if any.</summary>
public readonly record struct HostKeyCheck(HostKeyVerdict Verdict, KnownHostEntry? Entry);
