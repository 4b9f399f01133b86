// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Browsing;

/// <summary>The totals of a diff, as restic's "statistics" message reports them.</summary>
public sealed record DiffSummary(int ChangedFiles, DiffCounts Added, DiffCounts Removed);
