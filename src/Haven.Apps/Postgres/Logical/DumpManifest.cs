// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// What a logical backup put in the snapshot, stored as /postgres/manifest.json beside the dumps:
/// restore-table reads it to find the dump of a database and the pg_dump version that wrote it.
/// </summary>
public sealed record DumpManifest
{
    public const string SnapshotPath = SnapshotLayout.PostgresRoot + "/manifest.json";

    /// <summary>Layout version of this file.</summary>
    [JsonPropertyName("format")]
    public int Format { get; init; } = 1;

    /// <summary>The server as messages name it: host, port, database and user, never a password.</summary>
    [JsonPropertyName("server")]
    public required string Server { get; init; }

    [JsonPropertyName("server_version")]
    public required string ServerVersion { get; init; }

    [JsonPropertyName("server_major")]
    public required int ServerMajor { get; init; }

    [JsonPropertyName("pg_dump_version")]
    public required string PgDumpVersion { get; init; }

    [JsonPropertyName("pg_dump_major")]
    public required int PgDumpMajor { get; init; }

    [JsonPropertyName("databases")]
    public required IReadOnlyList<DumpedDatabase> Databases { get; init; }

    /// <summary>Roles and tablespaces (pg_dumpall --globals-only), a psql script.</summary>
    [JsonPropertyName("globals")]
    public required string Globals { get; init; }

    /// <summary>False when the backup user is not a superuser: roles were dumped without their passwords.</summary>
    [JsonPropertyName("role_passwords")]
    public required bool RolePasswords { get; init; }
}
