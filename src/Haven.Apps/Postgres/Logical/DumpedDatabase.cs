// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Apps.Postgres.Logical;

/// <summary>One database's pg_dump --format=custom file in the snapshot.</summary>
public sealed record DumpedDatabase(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path")] string Path);
