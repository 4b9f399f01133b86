// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;

namespace Haven.Apps.Postgres.Logical;

/// <summary>The dumps a logical backup will store, ready to go into <see cref="BackupOptions.Streams"/>.</summary>
public sealed record LogicalBackupPlan(DumpManifest Manifest, IReadOnlyList<StreamSource> Streams);
