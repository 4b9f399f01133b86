// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Physical;

/// <summary>'haven pg status': the physical backups of every cluster in the repository.</summary>
public sealed record ArchiveStatus(DateTimeOffset CheckedAt, IReadOnlyList<ClusterArchiveStatus> Clusters);

/// <summary>
/// One cluster's base backups and WAL archive. <paramref name="NewestSegmentAgeSeconds"/> is how long ago
/// PostgreSQL last wrote the newest archived segment: what a failure now would lose, the RPO achieved.
/// </summary>
public sealed record ClusterArchiveStatus(
    string SystemIdentifier,
    IReadOnlyList<BaseBackupStatus> BaseBackups,
    int ArchivedSegments,
    string? FirstSegment,
    string? NewestSegment,
    DateTimeOffset? NewestSegmentWrittenAt,
    DateTimeOffset? NewestSegmentArchivedAt,
    double? NewestSegmentAgeSeconds,
    IReadOnlyList<string> Gaps,
    int HistoryFiles,
    int ArchiveSnapshots);

public sealed record BaseBackupStatus(string SnapshotId, DateTimeOffset FinishedAt, uint Timeline, string StartLsn, string StopLsn, int ServerMajorVersion, long Bytes);
