// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>'restore-table --json' status line.</summary>
internal sealed record RestoreTableStatusMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("seconds_elapsed")] long SecondsElapsed,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("dump_bytes")] long DumpBytes,
    [property: JsonPropertyName("dump_bytes_read")] long DumpBytesRead);

/// <summary>'restore-table --json' summary: what was committed.</summary>
internal sealed record RestoreTableSummaryMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("snapshot_id")] string SnapshotId,
    [property: JsonPropertyName("database")] string Database,
    [property: JsonPropertyName("dump")] string Dump,
    [property: JsonPropertyName("table")] string Table,
    [property: JsonPropertyName("restored_as")] string RestoredAs,
    [property: JsonPropertyName("data_only")] bool DataOnly,
    [property: JsonPropertyName("rows")] long Rows,
    [property: JsonPropertyName("indexes")] IReadOnlyList<string> Indexes,
    [property: JsonPropertyName("constraints")] IReadOnlyList<string> Constraints,
    [property: JsonPropertyName("sequences")] IReadOnlyList<string> Sequences,
    [property: JsonPropertyName("skipped_foreign_keys")] IReadOnlyList<string> SkippedForeignKeys,
    [property: JsonPropertyName("seconds_elapsed")] double SecondsElapsed);
