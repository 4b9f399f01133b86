// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Packs;

namespace Haven.Format.Indexes;

/// <summary>
/// An index file's JSON in restic's Go field order. "supersedes" is informational only: restic loads
/// every index file, so a writer that replaces indexes must delete the old files itself.
/// </summary>
public sealed class IndexFile
{
    public List<Id> Supersedes { get; } = [];

    public List<IndexPack> Packs { get; } = [];

    public static IndexFile Parse(ReadOnlySpan<byte> json) => IndexFileParser.Parse(json);

    /// <summary>
    /// Parses index JSON without building the whole file: <paramref name="onPack"/> gets each pack as
    /// soon as it is read, with a blob list that is reused for the next pack (copy what you keep).
    /// Returns the "supersedes" IDs. Unlike <see cref="Parse"/>, a "packs" key repeated in one object
    /// delivers both lists (Go would keep the last); restic never writes one.
    /// </summary>
    /// <exception cref="FormatException">The JSON is not an index; the packs before the damage were delivered.</exception>
    public static IReadOnlyList<Id> ParsePacks(ReadOnlySpan<byte> json, Action<Id, IReadOnlyList<PackedBlob>> onPack)
    {
        ArgumentNullException.ThrowIfNull(onPack);
        return IndexFileParser.ParsePacks(json, (id, blobs) => onPack(id, blobs));
    }

    /// <summary>Writes JSON as Go's json.Encoder does, ending in a newline.</summary>
    public byte[] ToJson()
    {
        int blobs = 0;
        foreach (IndexPack pack in Packs)
        {
            blobs += pack.Blobs.Count;
        }

        using var stream = new MemoryStream(64 + (Packs.Count * 100) + (blobs * 160));
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            if (Supersedes.Count > 0)
            {
                writer.WriteStartArray("supersedes");
                foreach (Id id in Supersedes)
                {
                    WriteId(writer, id);
                }

                writer.WriteEndArray();
            }

            writer.WriteStartArray("packs");
            foreach (IndexPack pack in Packs)
            {
                WritePack(writer, pack);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WritePack(Utf8JsonWriter writer, IndexPack pack)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id"u8);
        WriteId(writer, pack.PackId);
        writer.WriteStartArray("blobs"u8);
        foreach (PackedBlob blob in pack.Blobs)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id"u8);
            WriteId(writer, blob.Handle.Id);
            writer.WriteString("type"u8, blob.Handle.Type == BlobType.Tree ? "tree"u8 : "data"u8);
            writer.WriteNumber("offset"u8, blob.Offset);
            writer.WriteNumber("length"u8, blob.Length);
            if (blob.IsCompressed)
            {
                writer.WriteNumber("uncompressed_length"u8, blob.UncompressedLength);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter writer, Id id)
    {
        Span<byte> raw = stackalloc byte[Id.Size];
        id.CopyTo(raw);
        Span<char> hex = stackalloc char[Id.Size * 2];
        Convert.TryToHexStringLower(raw, hex, out _);
        writer.WriteStringValue(hex);
    }
}
