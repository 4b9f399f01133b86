// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>'restore --json' status line.</summary>
internal sealed record RestoreStatusMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("seconds_elapsed")] long SecondsElapsed,
    [property: JsonPropertyName("percent_done")] double PercentDone,
    [property: JsonPropertyName("total_files")] long TotalFiles,
    [property: JsonPropertyName("files_restored")] long FilesRestored,
    [property: JsonPropertyName("total_bytes")] long TotalBytes,
    [property: JsonPropertyName("bytes_restored")] long BytesRestored);

/// <summary>'restore --json' closing summary.</summary>
internal sealed record RestoreSummaryMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("seconds_elapsed")] double SecondsElapsed,
    [property: JsonPropertyName("total_files")] long TotalFiles,
    [property: JsonPropertyName("files_restored")] long FilesRestored,
    [property: JsonPropertyName("total_bytes")] long TotalBytes,
    [property: JsonPropertyName("bytes_restored")] long BytesRestored,
    [property: JsonPropertyName("files_verified")] long FilesVerified,
    [property: JsonPropertyName("errors")] long Errors);

/// <summary>'restore --json' line for an entry that could not be restored.</summary>
internal sealed record RestoreErrorMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("error")] ErrorText Error,
    [property: JsonPropertyName("during")] string During,
    [property: JsonPropertyName("item")] string Item);
