// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>The last line on stderr of a failed command run with --json, as restic writes it.</summary>
internal sealed record ErrorMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message);
