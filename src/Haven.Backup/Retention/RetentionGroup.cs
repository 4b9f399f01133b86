// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Backup.Retention;

/// <summary>The decision for one group: kept and removed snapshots, newest first, and a reason per kept one (same order).</summary>
public sealed record RetentionGroup(
    SnapshotGroupKey Key,
    IReadOnlyList<(Id Id, Snapshot Snapshot)> Keep,
    IReadOnlyList<(Id Id, Snapshot Snapshot)> Remove,
    IReadOnlyList<KeepReason> Reasons);
