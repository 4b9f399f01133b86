// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Backup.Retention;

/// <summary>Why one snapshot is kept: the rules that matched it ("daily snapshot", "within 1d", "has tags [x]") and the counters after it.</summary>
public sealed record KeepReason(Id Id, Snapshot Snapshot, IReadOnlyList<string> Matches, KeepCounters Counters);
