// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Json;

namespace Haven.Format.Snapshots;

/// <summary>
/// A snapshot file's JSON, in restic's field order with Go's omitempty; no trailing newline
/// (restic writes snapshots with json.Marshal).
/// </summary>
public sealed class Snapshot
{
    public GoTimestamp Time { get; set; } = GoTimestamp.Zero;

    public Id? Parent { get; set; }

    public Id Tree { get; set; }

    /// <summary>Always written; null is written as JSON null.</summary>
    public List<string>? Paths { get; set; }

    public string? Hostname { get; set; }

    public string? Username { get; set; }

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    public List<string>? Excludes { get; set; }

    public List<string>? Tags { get; set; }

    /// <summary>The first version of a rewritten snapshot.</summary>
    public Id? Original { get; set; }

    /// <summary>restic 0.16+.</summary>
    public string? ProgramVersion { get; set; }

    /// <summary>restic 0.17+.</summary>
    public SnapshotSummary? Summary { get; set; }

    public byte[] ToJson()
    {
        var writer = new GoJsonWriter(512);
        writer.WriteStartObject();
        writer.WritePropertyName("time");
        writer.WriteString(Time.ToString());
        WriteId(writer, "parent", Parent);
        WriteId(writer, "tree", Tree);
        writer.WritePropertyName("paths");
        WriteList(writer, Paths);
        WriteText(writer, "hostname", Hostname);
        WriteText(writer, "username", Username);
        WriteNumber(writer, "uid", Uid);
        WriteNumber(writer, "gid", Gid);
        if (Excludes is { Count: > 0 })
        {
            writer.WritePropertyName("excludes");
            WriteList(writer, Excludes);
        }

        if (Tags is { Count: > 0 })
        {
            writer.WritePropertyName("tags");
            WriteList(writer, Tags);
        }

        WriteId(writer, "original", Original);
        WriteText(writer, "program_version", ProgramVersion);
        if (Summary is not null)
        {
            writer.WritePropertyName("summary");
            Summary.Write(writer);
        }

        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary>Decodes a snapshot leniently (unknown keys ignored, keys case-insensitive).</summary>
    /// <exception cref="FormatException">The "tree" field is missing or null.</exception>
    /// <exception cref="InvalidDataException">The JSON is malformed.</exception>
    public static Snapshot Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return SnapshotReader.Read(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"cannot decode snapshot: {e.Message}", e);
        }
    }

    private static void WriteId(GoJsonWriter writer, string name, Id? id)
    {
        if (id is Id value)
        {
            writer.WritePropertyName(name);
            writer.WriteString(value.ToString());
        }
    }

    private static void WriteText(GoJsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WritePropertyName(name);
            writer.WriteString(value);
        }
    }

    private static void WriteNumber(GoJsonWriter writer, string name, uint value)
    {
        if (value != 0)
        {
            writer.WritePropertyName(name);
            writer.WriteNumber((ulong)value);
        }
    }

    private static void WriteList(GoJsonWriter writer, List<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteStartArray();
        foreach (string value in values)
        {
            writer.WriteString(value);
        }

        writer.WriteEndArray();
    }
}
