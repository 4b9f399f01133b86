// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Repairing;

/// <summary>Options of 'repair snapshots': remove the damaged originals (Forget), or only report (DryRun).</summary>
public sealed record SnapshotRepairOptions
{
    public bool Forget { get; init; }

    public bool DryRun { get; init; }
}
