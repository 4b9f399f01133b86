// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// The outcome of one wal-push. <paramref name="AlreadyArchived"/> is true when the same content
/// was archived before (PostgreSQL retries a push whose success it did not see).
/// </summary>
public sealed record WalPushResult(string File, ulong SystemId, long Size, long StoredBytes, bool AlreadyArchived, string? SnapshotId, double Seconds);
