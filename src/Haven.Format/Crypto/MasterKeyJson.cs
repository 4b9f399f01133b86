// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;

namespace Haven.Format.Crypto;

/// <summary>restic's master key JSON: {"mac":{"k":"…","r":"…"},"encrypt":"…"}, base64 with padding.</summary>
internal static class MasterKeyJson
{
    public static byte[] Write(MasterKey key)
    {
        using var stream = new MemoryStream(160);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("mac");
            writer.WriteBase64String("k", key.MacK.Span);
            writer.WriteBase64String("r", key.MacR.Span);
            writer.WriteEndObject();
            writer.WriteBase64String("encrypt", key.EncryptionKey.Span);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static MasterKey Read(ReadOnlySpan<byte> json)
    {
        byte[]? k = null, r = null, encrypt = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                Expect(reader.Read());
                if (name.Equals("mac", StringComparison.OrdinalIgnoreCase) && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string inner = reader.GetString()!;
                        Expect(reader.Read());
                        if (inner.Equals("k", StringComparison.OrdinalIgnoreCase))
                        {
                            k = reader.GetBytesFromBase64();
                        }
                        else if (inner.Equals("r", StringComparison.OrdinalIgnoreCase))
                        {
                            r = reader.GetBytesFromBase64();
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else if (name.Equals("encrypt", StringComparison.OrdinalIgnoreCase))
                {
                    encrypt = reader.GetBytesFromBase64();
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"master key JSON is malformed: {e.Message}", e);
        }

        if (k is null || r is null || encrypt is null)
        {
            throw new FormatException("master key JSON lacks mac.k, mac.r or encrypt");
        }

        try
        {
            return new MasterKey(encrypt, k, r);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"master key JSON holds an invalid key: {e.Message}", e);
        }
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new FormatException("master key JSON is not an object of the expected shape");
        }
    }
}
