// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;

namespace Haven.Format.Json;

/// <summary>
/// Reading values the way Go's encoding/json is lenient: keys match case-insensitively, null leaves
/// a field at its zero value, and malformed values raise InvalidDataException naming the field.
/// </summary>
internal static class LenientJson
{
    /// <summary>
    /// Copies the property name under the reader into the buffer, ASCII-lowercased so that callers can
    /// match keys case-insensitively as Go does. Returns the length; names longer than the buffer give 0.
    /// </summary>
    public static int PropertyName(ref Utf8JsonReader reader, scoped Span<char> buffer)
    {
        if (reader.HasValueSequence || reader.ValueSpan.Length > buffer.Length)
        {
            return 0;
        }

        int n = reader.CopyString(buffer);
        Span<char> name = buffer[..n];
        for (int i = 0; i < name.Length; i++)
        {
            name[i] = char.ToLowerInvariant(name[i]);
        }

        return n;
    }

    public static string? ReadString(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, field);
        return reader.GetString();
    }

    public static ulong ReadUInt64(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out ulong value))
        {
            throw new InvalidDataException($"field \"{field}\" is not an unsigned integer");
        }

        return value;
    }

    public static uint ReadUInt32(ref Utf8JsonReader reader, string field)
    {
        ulong value = ReadUInt64(ref reader, field);
        return value <= uint.MaxValue ? (uint)value : throw new InvalidDataException($"field \"{field}\" exceeds 32 bits");
    }

    public static long ReadInt64(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value))
        {
            throw new InvalidDataException($"field \"{field}\" is not an integer");
        }

        return value;
    }

    public static bool ReadBool(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null or JsonTokenType.False => false,
        JsonTokenType.True => true,
        _ => throw new InvalidDataException($"field \"{field}\" is not a boolean"),
    };

    public static GoTimestamp ReadTime(ref Utf8JsonReader reader, string field)
    {
        string? text = ReadString(ref reader, field);
        if (text is null)
        {
            return GoTimestamp.Zero;
        }

        return GoTimestamp.TryParse(text, out var value)
            ? value
            : throw new InvalidDataException($"field \"{field}\" is not an RFC 3339 time with a zone: \"{text}\"");
    }

    public static Id? ReadId(ref Utf8JsonReader reader, string field)
    {
        string? text = ReadString(ref reader, field);
        if (text is null)
        {
            return null;
        }

        return Id.TryParse(text, out var id) ? id : throw new InvalidDataException($"field \"{field}\" is not an ID: \"{text}\"");
    }

    public static byte[]? ReadBase64(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, field);
        return reader.TryGetBytesFromBase64(out byte[]? bytes) ? bytes : throw new InvalidDataException($"field \"{field}\" is not base64");
    }

    /// <summary>Reads a string array; null stays null.</summary>
    public static List<string>? ReadStringList(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, field);
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadString(ref reader, field) ?? "");
        }

        return list;
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string field)
    {
        if (reader.TokenType != type)
        {
            throw new InvalidDataException($"field \"{field}\" should be {type}, found {reader.TokenType}");
        }
    }

    /// <summary>Creates a reader over a whole document, wrapping syntax errors as InvalidDataException.</summary>
    public static Utf8JsonReader Open(ReadOnlySpan<byte> json) =>
        new(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
}
