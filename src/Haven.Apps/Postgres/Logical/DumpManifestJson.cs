// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Haven.Apps.Postgres.Logical;

/// <summary>Source-generated JSON for <see cref="DumpManifest"/>.</summary>
[JsonSerializable(typeof(DumpManifest))]
internal sealed partial class DumpManifestJson : JsonSerializerContext
{
    /// <summary>Indented, escaping only what JSON requires, so "15.18 (Debian 15.18-0+deb12u1)" reads as the server said it.</summary>
    public static DumpManifestJson Readable { get; } = new(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
