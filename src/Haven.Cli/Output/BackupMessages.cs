// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>'backup --json' status line, with restic's field names.</summary>
internal sealed record BackupStatusMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("seconds_elapsed")] long SecondsElapsed,
    [property: JsonPropertyName("seconds_remaining")] long? SecondsRemaining,
    [property: JsonPropertyName("percent_done")] double PercentDone,
    [property: JsonPropertyName("total_files")] long TotalFiles,
    [property: JsonPropertyName("files_done")] long FilesDone,
    [property: JsonPropertyName("total_bytes")] long TotalBytes,
    [property: JsonPropertyName("bytes_done")] long BytesDone,
    [property: JsonPropertyName("error_count")] long ErrorCount,
    [property: JsonPropertyName("current_files")] IReadOnlyList<string> CurrentFiles);

/// <summary>'backup --json' line for a source entry that was skipped.</summary>
internal sealed record BackupErrorMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("error")] ErrorText Error,
    [property: JsonPropertyName("during")] string During,
    [property: JsonPropertyName("item")] string Item);

internal sealed record ErrorText([property: JsonPropertyName("message")] string Message);

/// <summary>'backup --json' closing summary, with restic's field names.</summary>
internal sealed record BackupSummaryMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("files_new")] long FilesNew,
    [property: JsonPropertyName("files_changed")] long FilesChanged,
    [property: JsonPropertyName("files_unmodified")] long FilesUnmodified,
    [property: JsonPropertyName("dirs_new")] long DirsNew,
    [property: JsonPropertyName("dirs_changed")] long DirsChanged,
    [property: JsonPropertyName("dirs_unmodified")] long DirsUnmodified,
    [property: JsonPropertyName("data_blobs")] long DataBlobs,
    [property: JsonPropertyName("tree_blobs")] long TreeBlobs,
    [property: JsonPropertyName("data_added")] long DataAdded,
    [property: JsonPropertyName("data_added_packed")] long DataAddedPacked,
    [property: JsonPropertyName("total_files_processed")] long TotalFilesProcessed,
    [property: JsonPropertyName("total_bytes_processed")] long TotalBytesProcessed,
    [property: JsonPropertyName("total_duration")] double TotalDuration,
    [property: JsonPropertyName("snapshot_id")] string? SnapshotId,
    [property: JsonPropertyName("dry_run")] bool DryRun);

/// <summary>'backup --json -v' line for each finished file, with restic's field names.</summary>
internal sealed record VerboseStatusMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("item")] string Item,
    [property: JsonPropertyName("data_size")] long DataSize);

/// <summary>'backup --json' line for each line a --pre-hook or --post-hook wrote.</summary>
internal sealed record HookOutputMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("hook")] string Hook,
    [property: JsonPropertyName("stream")] string Stream,
    [property: JsonPropertyName("text")] string Text);
