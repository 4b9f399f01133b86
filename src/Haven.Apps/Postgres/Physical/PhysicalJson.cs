// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>Source-generated JSON for the manifest Haven stores and for what 'haven pg' prints with --json.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BaseBackupManifest))]
[JsonSerializable(typeof(BaseBackupResult))]
[JsonSerializable(typeof(WalPushResult))]
[JsonSerializable(typeof(PointInTimeRestoreResult))]
[JsonSerializable(typeof(ArchiveStatus))]
public sealed partial class PhysicalJson : JsonSerializerContext;
