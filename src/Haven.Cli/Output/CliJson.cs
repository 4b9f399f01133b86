// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>Source-generated JSON for everything the CLI prints with --json.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(InitMessage))]
[JsonSerializable(typeof(VersionMessage))]
[JsonSerializable(typeof(BackupStatusMessage))]
[JsonSerializable(typeof(BackupErrorMessage))]
[JsonSerializable(typeof(BackupSummaryMessage))]
[JsonSerializable(typeof(VerboseStatusMessage))]
[JsonSerializable(typeof(HookOutputMessage))]
[JsonSerializable(typeof(RestoreStatusMessage))]
[JsonSerializable(typeof(RestoreSummaryMessage))]
[JsonSerializable(typeof(RestoreErrorMessage))]
[JsonSerializable(typeof(PruneStatusMessage))]
[JsonSerializable(typeof(PruneSummaryMessage))]
[JsonSerializable(typeof(KeyListEntry))]
[JsonSerializable(typeof(List<KeyListEntry>))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>
    /// The context every printer uses: it escapes only what JSON requires, so "+" and non-ASCII
    /// names come out as restic prints them rather than as \u escapes.
    /// </summary>
    public static CliJson Output { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
