// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Restoring;

/// <summary>An entry that could not be restored (or failed verification); the restore goes on with the rest.</summary>
public sealed record RestoreError(string Path, string Message);
