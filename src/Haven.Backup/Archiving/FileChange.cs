// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>How an entry compares with the parent snapshot.</summary>
public enum FileChange
{
    New,
    Changed,
    Unmodified,
}
