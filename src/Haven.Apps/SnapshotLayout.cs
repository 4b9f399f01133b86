// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps;

/// <summary>Where application-consistent backups keep their content inside a snapshot.</summary>
public static class SnapshotLayout
{
    /// <summary>Dumps and base backups of PostgreSQL live below this folder of the snapshot.</summary>
    public const string PostgresRoot = "/postgres";
}
