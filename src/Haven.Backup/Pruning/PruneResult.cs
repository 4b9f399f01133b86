// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Pruning;

/// <summary>What a prune did (or, with a dry run, would do).</summary>
public sealed record PruneResult(PruneStats Stats, bool DryRun, int PacksWritten, int IndexFilesWritten, int IndexFilesDeleted, long UsedBlobTableBytes)
{
    /// <summary>Old index files the store would not delete yet (a retention period protects them); a later prune deletes them.</summary>
    public int IndexFilesRetained { get; init; }

    /// <summary>Packs left in place for a later prune because the store refused a deletion (retention).</summary>
    public int PacksRetained { get; init; }

    /// <summary>The latest retention date among the refused deletions, when the store named one.</summary>
    public DateTimeOffset? RetainedUntil { get; init; }
}
