// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Pruning;

/// <summary>What a prune did (or, with a dry run, would do).</summary>
public sealed record PruneResult(PruneStats Stats, bool DryRun, int PacksWritten, int IndexFilesWritten, int IndexFilesDeleted, long UsedBlobTableBytes);
