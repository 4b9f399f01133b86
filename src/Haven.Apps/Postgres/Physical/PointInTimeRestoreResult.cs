// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Physical;

/// <summary>What 'haven pg restore' laid out; PostgreSQL started on <paramref name="DataDirectory"/> replays to <paramref name="Target"/> and promotes.</summary>
public sealed record PointInTimeRestoreResult(
    string SnapshotId,
    string SystemIdentifier,
    string Target,
    string DataDirectory,
    string WalDirectory,
    int WalFiles,
    long Bytes,
    double Seconds);
