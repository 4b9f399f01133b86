// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>What restore-table is asked to do; validated by the CLI.</summary>
public sealed record TableRestoreRequest
{
    /// <summary>The live database to restore into.</summary>
    public required PgConnectionInfo Connection { get; init; }

    public required TableName Table { get; init; }

    /// <summary>Restore beside the original under this name (same schema); null restores under the original name.</summary>
    public string? As { get; init; }

    /// <summary>Only the rows, into a table that exists.</summary>
    public bool DataOnly { get; init; }

    /// <summary>Which dumped database to take the table from; null means the one the DSN connects to (or the only one).</summary>
    public string? FromDatabase { get; init; }
}
