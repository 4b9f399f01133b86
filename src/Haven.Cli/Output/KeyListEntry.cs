// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>One key in 'key list --json', with restic's field names.</summary>
internal sealed record KeyListEntry(
    [property: JsonPropertyName("current")] bool Current,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("userName")] string UserName,
    [property: JsonPropertyName("hostName")] string HostName,
    [property: JsonPropertyName("created")] string Created);
