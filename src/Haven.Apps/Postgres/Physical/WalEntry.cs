// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Apps.Postgres.Physical;

/// <summary>One archived WAL file: when PostgreSQL last wrote it, when Haven archived it, and its content blobs.</summary>
public sealed record WalEntry(WalFileName Name, long Size, DateTimeOffset WrittenAt, DateTimeOffset ArchivedAt, IReadOnlyList<Id> Content);
