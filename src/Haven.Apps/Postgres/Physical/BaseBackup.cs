// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Apps.Postgres.Physical;

/// <summary>A base backup snapshot and its manifest; <see cref="Tar"/> is the content of base.tar.</summary>
public sealed record BaseBackup(Id SnapshotId, DateTimeOffset SnapshotTime, BaseBackupManifest Manifest, IReadOnlyList<Id> Tar, long TarSize);
