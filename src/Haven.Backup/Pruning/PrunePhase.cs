// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Pruning;

/// <summary>The step a prune is at, in the order they run.</summary>
public enum PrunePhase
{
    LoadingIndex,
    FindingUsedBlobs,
    Planning,
    Repacking,
    WritingIndex,
    DeletingOldIndexes,
    DeletingPacks,
    Done,
}
