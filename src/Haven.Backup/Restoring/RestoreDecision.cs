// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Restoring;

/// <summary>What happens to one snapshot entry: restored, only passed through (a folder on the way to an included path), or skipped.</summary>
internal enum RestoreDecision
{
    Skip,
    PassThrough,
    Restore,
}
