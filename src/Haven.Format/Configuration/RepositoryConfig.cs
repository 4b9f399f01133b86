// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Text.Json;

namespace Haven.Format.Configuration;

/// <summary>The repository's config file plaintext. It is sealed but never compressed, in v2 too.</summary>
public sealed record RepositoryConfig(int Version, string Id, ulong ChunkerPolynomial)
{
    public byte[] ToJson()
    {
        using var stream = new MemoryStream(128);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("id", Id);
            writer.WriteString("chunker_polynomial", ChunkerPolynomial.ToString("x", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static RepositoryConfig Parse(ReadOnlySpan<byte> json)
    {
        int version = 0;
        string id = "";
        ulong polynomial = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("repository config is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!.ToLowerInvariant();
                reader.Read();
                switch (name)
                {
                    case "version": version = reader.GetInt32(); break;
                    case "id": id = reader.GetString() ?? ""; break;
                    case "chunker_polynomial": polynomial = ParsePolynomial(reader.GetString() ?? ""); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"repository config is not valid JSON: {e.Message}", e);
        }

        if (version is < 1 or > 2)
        {
            throw new FormatException($"repository version {version} is not supported; only versions 1 and 2 are");
        }

        return new RepositoryConfig(version, id, polynomial);
    }

    private static ulong ParsePolynomial(string text) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new FormatException($"chunker polynomial '{text}' is not a hexadecimal number");
}
