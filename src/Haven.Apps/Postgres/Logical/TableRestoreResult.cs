// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>What restore-table brought back, committed in one transaction.</summary>
public sealed record TableRestoreResult(
    string Database,
    string DumpPath,
    TableName Table,
    TableName RestoredAs,
    bool DataOnly,
    long Rows,
    IReadOnlyList<string> Indexes,
    IReadOnlyList<string> Constraints,
    IReadOnlyList<string> Sequences,
    IReadOnlyList<string> SkippedForeignKeys,
    TimeSpan Duration);
