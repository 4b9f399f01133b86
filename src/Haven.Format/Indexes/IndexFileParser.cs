// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.Json;
using Haven.Format.Packs;

namespace Haven.Format.Indexes;

/// <summary>
/// Streams index JSON with Utf8JsonReader (indexes can hold millions of blobs, so no DOM). Accepts the
/// legacy top-level array of packs; matches keys case-insensitively and ignores unknown keys, like Go.
/// </summary>
internal static class IndexFileParser
{
    public static IndexFile Parse(ReadOnlySpan<byte> json)
    {
        var index = new IndexFile();
        var supersedes = Parse(json, index.Packs.Clear, (id, blobs) => index.Packs.Add(new IndexPack(id, blobs)), reuseLists: false);
        index.Supersedes.AddRange(supersedes);
        return index;
    }

    /// <summary>Calls <paramref name="onPack"/> for each pack as it is read, with a list it reuses afterwards; returns "supersedes".</summary>
    public static List<Id> ParsePacks(ReadOnlySpan<byte> json, Action<Id, List<PackedBlob>> onPack) =>
        Parse(json, static () => { }, onPack, reuseLists: true);

    private static List<Id> Parse(ReadOnlySpan<byte> json, Action onPacksKey, Action<Id, List<PackedBlob>> onPack, bool reuseLists)
    {
        var supersedes = new List<Id>();
        try
        {
            var reader = new Utf8JsonReader(json);
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                ReadPacks(ref reader, onPack, reuseLists);
            }
            else
            {
                Expect(ref reader, JsonTokenType.StartObject, "an index object or array");
                while (NextProperty(ref reader))
                {
                    if (KeyIs(ref reader, "supersedes"u8))
                    {
                        Read(ref reader);
                        supersedes.Clear();
                        if (reader.TokenType != JsonTokenType.Null)
                        {
                            Expect(ref reader, JsonTokenType.StartArray, "supersedes array");
                            while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
                            {
                                supersedes.Add(ReadId(ref reader));
                            }
                        }
                    }
                    else if (KeyIs(ref reader, "packs"u8))
                    {
                        Read(ref reader);
                        onPacksKey();
                        ReadPacks(ref reader, onPack, reuseLists);
                    }
                    else
                    {
                        Read(ref reader);
                        reader.Skip();
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"index is not valid JSON: {e.Message}", e);
        }

        return supersedes;
    }

    private static void ReadPacks(ref Utf8JsonReader reader, Action<Id, List<PackedBlob>> onPack, bool reuseLists)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref reader, JsonTokenType.StartArray, "packs array");
        int count = 0;
        var blobs = new List<PackedBlob>();
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject, "pack object");
            Id? id = null;
            if (reuseLists)
            {
                blobs.Clear();
            }
            else
            {
                blobs = [];
            }

            while (NextProperty(ref reader))
            {
                bool isId = KeyIs(ref reader, "id"u8);
                bool isBlobs = !isId && KeyIs(ref reader, "blobs"u8);
                Read(ref reader);
                if (isId)
                {
                    id = ReadId(ref reader);
                }
                else if (isBlobs && reader.TokenType != JsonTokenType.Null)
                {
                    blobs.Clear();
                    ReadBlobs(ref reader, blobs);
                }
                else
                {
                    reader.Skip();
                }
            }

            onPack(id ?? throw new FormatException($"index pack entry {count} has no id"), blobs);
            count++;
        }
    }

    private static void ReadBlobs(ref Utf8JsonReader reader, List<PackedBlob> blobs)
    {
        Expect(ref reader, JsonTokenType.StartArray, "blobs array");
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject, "blob object");
            Id id = default;
            BlobType? type = null;
            uint offset = 0, length = 0, uncompressed = 0;
            while (NextProperty(ref reader))
            {
                int key = KeyIs(ref reader, "id"u8) ? 0 : KeyIs(ref reader, "type"u8) ? 1 : KeyIs(ref reader, "offset"u8) ? 2
                    : KeyIs(ref reader, "length"u8) ? 3 : KeyIs(ref reader, "uncompressed_length"u8) ? 4 : -1;
                Read(ref reader);
                switch (key)
                {
                    case 0: id = ReadId(ref reader); break;
                    case 1: type = ReadType(ref reader); break;
                    case 2: offset = reader.GetUInt32(); break;
                    case 3: length = reader.GetUInt32(); break;
                    case 4: uncompressed = reader.TokenType == JsonTokenType.Null ? 0 : reader.GetUInt32(); break;
                    default: reader.Skip(); break;
                }
            }

            BlobType blobType = type ?? throw new FormatException($"index blob {id.ToShortString()} has no type");
            blobs.Add(new PackedBlob(new BlobHandle(id, blobType), offset, length, uncompressed));
        }
    }

    private static BlobType ReadType(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("data"u8))
        {
            return BlobType.Data;
        }

        if (reader.ValueTextEquals("tree"u8))
        {
            return BlobType.Tree;
        }

        throw new FormatException($"index blob type '{reader.GetString()}' is neither data nor tree");
    }

    private static Id ReadId(ref Utf8JsonReader reader)
    {
        Span<char> hex = stackalloc char[Id.Size * 2];
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length != hex.Length)
        {
            throw new FormatException($"index holds an invalid ID: {Encoding.UTF8.GetString(reader.ValueSpan)}");
        }

        int written = reader.CopyString(hex);
        return Id.TryParse(hex[..written], out Id id)
            ? id
            : throw new FormatException($"index holds an invalid ID: {hex[..written]}");
    }

    private static bool KeyIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> lowerName) =>
        reader.ValueIsEscaped
            ? reader.GetString()!.Equals(Encoding.UTF8.GetString(lowerName), StringComparison.OrdinalIgnoreCase)
            : Ascii.EqualsIgnoreCase(reader.ValueSpan, lowerName);

    private static bool NextProperty(ref Utf8JsonReader reader) =>
        Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName;

    private static bool Read(ref Utf8JsonReader reader) =>
        reader.Read() ? true : throw new FormatException("index JSON ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new FormatException($"index JSON has {reader.TokenType} where {what} belongs");
        }
    }
}
