// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>What 'version --json' prints.</summary>
internal sealed record VersionMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("platform")] string Platform);
