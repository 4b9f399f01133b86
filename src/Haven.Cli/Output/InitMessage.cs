// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>What 'init --json' prints.</summary>
internal sealed record InitMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("repository")] string Repository);
