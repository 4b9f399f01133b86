// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Physical;

/// <summary>The outcome of 'haven pg basebackup': the snapshot and what it holds.</summary>
public sealed record BaseBackupResult(string SnapshotId, BaseBackupManifest Manifest, long Bytes, long StoredBytes, double Seconds);
