// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Pruning;

/// <summary>What prune may do: how much unused space it may leave, how much it may repack, and whether it only plans.</summary>
public sealed record PruneOptions
{
    public UnusedLimit MaxUnused { get; init; } = UnusedLimit.Default;

    /// <summary>Stop choosing packs to repack once their total size would reach this.</summary>
    public long MaxRepackBytes { get; init; } = long.MaxValue;

    /// <summary>Plan and report only: nothing is written or deleted.</summary>
    public bool DryRun { get; init; }
}
