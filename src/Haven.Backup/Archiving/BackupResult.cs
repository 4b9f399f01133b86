// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Backup.Archiving;

/// <summary>The outcome of a backup: the snapshot written (none on a dry run), its counters and what was skipped.</summary>
public sealed record BackupResult(
    Id? SnapshotId,
    Snapshot Snapshot,
    Id? ParentId,
    BackupStatus Status,
    long DataAddedPacked,
    long TreeBlobs,
    TimeSpan Duration,
    IReadOnlyList<BackupWarning> Warnings);
