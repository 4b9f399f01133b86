// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Retention;

/// <summary>The counts each --keep-* rule had left after a snapshot was looked at (-1 stays -1: unlimited).</summary>
public readonly record struct KeepCounters(int Last, int Hourly, int Daily, int Weekly, int Monthly, int Yearly);
