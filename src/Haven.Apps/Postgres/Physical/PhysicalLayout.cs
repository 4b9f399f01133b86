// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// Where physical PostgreSQL backups live in snapshots. Everything is keyed by the cluster's system
/// identifier, because two clusters archiving into one repository name their segments alike.
/// </summary>
public static class PhysicalLayout
{
    /// <summary>Tag of the snapshot(s) that hold a cluster's WAL archive (normally one: each push supersedes the previous).</summary>
    public const string WalTag = "pg-wal";

    /// <summary>Tag of a base backup snapshot.</summary>
    public const string BaseBackupTag = "pg-basebackup";

    public const string BaseTarName = "base.tar";

    public const string ManifestName = "manifest.json";

    /// <summary>"/postgres/wal/SYSID": below it, FOLDER/NAME as <see cref="WalFileName.Folder"/> says.</summary>
    public static string WalRoot(ulong systemId) => string.Create(CultureInfo.InvariantCulture, $"{SnapshotLayout.PostgresRoot}/wal/{systemId}");

    /// <summary>"/postgres/base/SYSID": base.tar (the data directory, WAL included) and manifest.json.</summary>
    public static string BaseRoot(ulong systemId) => string.Create(CultureInfo.InvariantCulture, $"{SnapshotLayout.PostgresRoot}/base/{systemId}");
}
