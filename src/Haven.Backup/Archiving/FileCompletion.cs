// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>One file finished by a backup: its path, how it compares with the parent snapshot, and its size.</summary>
public sealed record FileCompletion(string Path, FileChange Change, long Size);
