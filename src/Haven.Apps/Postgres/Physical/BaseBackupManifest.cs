// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// What Haven records beside a base backup (/postgres/base/manifest.json), read from the tar as it
/// streamed past: backup_label (start position, timeline, start time), backup_manifest (the WAL range
/// the backup needs), global/pg_control (system identifier), PG_VERSION and the size of a pg_wal
/// segment. <see cref="FinishedAt"/> is when pg_basebackup exited, after the backup's stop position
/// was written, so a restore to any later time can use this backup.
/// </summary>
public sealed record BaseBackupManifest(
    [property: JsonPropertyName("system_identifier")] string SystemIdentifier,
    [property: JsonPropertyName("server_major_version")] int ServerMajorVersion,
    [property: JsonPropertyName("timeline")] uint Timeline,
    [property: JsonPropertyName("start_lsn")] string StartLsn,
    [property: JsonPropertyName("stop_lsn")] string StopLsn,
    [property: JsonPropertyName("wal_segment_size")] long WalSegmentSize,
    [property: JsonPropertyName("start_time")] string StartTime,
    [property: JsonPropertyName("finished_at")] DateTimeOffset FinishedAt,
    [property: JsonPropertyName("label")] string Label)
{
    [JsonIgnore]
    public ulong SystemId => ulong.Parse(SystemIdentifier, System.Globalization.CultureInfo.InvariantCulture);

    [JsonIgnore]
    public Lsn Start => Lsn.Parse(StartLsn);

    [JsonIgnore]
    public Lsn Stop => Lsn.Parse(StopLsn);

    /// <summary>The first WAL segment the backup needs.</summary>
    [JsonIgnore]
    public ulong StartSegment => Start.Value / (ulong)WalSegmentSize;
}
