// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Physical;

/// <summary>What 'haven pg restore' lays out and where PostgreSQL should stop.</summary>
public sealed record PointInTimeRestoreOptions
{
    /// <summary>The new data directory: must not exist or be empty.</summary>
    public required string TargetDirectory { get; init; }

    /// <summary>Where the archived WAL is copied for restore_command; must not exist or be empty. Default: TARGET.wal beside the data directory.</summary>
    public string? WalDirectory { get; init; }

    public RecoveryTarget Target { get; init; } = RecoveryTarget.EndOfArchive;

    /// <summary>A prefix of the base backup snapshot to start from, instead of the one chosen for the target.</summary>
    public string? Snapshot { get; init; }

    /// <summary>The cluster to restore when the repository holds several.</summary>
    public ulong? SystemId { get; init; }

    /// <summary>A user (and optionally ":group") to hand both folders to, the one PostgreSQL will run as.</summary>
    public string? Owner { get; init; }

    /// <summary>Folder of the PostgreSQL programs that will run the restored directory; default /usr/lib/postgresql/MAJOR/bin (the CLI passes --pg-bin, else HAVEN_PG_BINDIR).</summary>
    public string? PostgresBinDirectory { get; init; }
}
