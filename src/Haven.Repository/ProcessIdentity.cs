// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository;

/// <summary>Who is acting: written into key files, locks and snapshots, and used to recognise stale locks.</summary>
public sealed record ProcessIdentity(string Hostname, string Username, uint Uid, uint Gid, int Pid);
