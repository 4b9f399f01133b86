// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Restoring;

/// <summary>What a restore did: counters, duration and every entry that failed.</summary>
public sealed record RestoreResult(RestoreStatus Status, TimeSpan Duration, IReadOnlyList<RestoreError> Errors);
