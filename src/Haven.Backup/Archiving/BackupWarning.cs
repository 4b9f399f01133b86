// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>A source entry that could not be backed up; the backup goes on without it.</summary>
public sealed record BackupWarning(string Path, string Message);
