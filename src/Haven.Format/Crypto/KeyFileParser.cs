// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;

namespace Haven.Format.Crypto;

/// <summary>Reads key file JSON the way Go does: keys case-insensitive, unknown keys ignored.</summary>
internal static class KeyFileParser
{
    public static KeyFile Parse(ReadOnlySpan<byte> json)
    {
        string created = "", username = "", hostname = "", kdf = "";
        int n = 0, r = 0, p = 0;
        byte[] salt = [], data = [];
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("key file is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!.ToLowerInvariant();
                reader.Read();
                switch (name)
                {
                    case "created": created = reader.GetString() ?? ""; break;
                    case "username": username = reader.GetString() ?? ""; break;
                    case "hostname": hostname = reader.GetString() ?? ""; break;
                    case "kdf": kdf = reader.GetString() ?? ""; break;
                    case "n": n = reader.GetInt32(); break;
                    case "r": r = reader.GetInt32(); break;
                    case "p": p = reader.GetInt32(); break;
                    case "salt": salt = reader.GetBytesFromBase64(); break;
                    case "data": data = reader.GetBytesFromBase64(); break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new FormatException("key file JSON does not end after its object");
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"key file is not valid JSON: {e.Message}", e);
        }

        if (kdf != "scrypt")
        {
            throw new FormatException($"key file uses KDF '{kdf}'; only scrypt is supported");
        }

        if (salt.Length != KeyDerivation.SaltSize)
        {
            throw new FormatException($"key file salt is {salt.Length} bytes; scrypt key files need exactly {KeyDerivation.SaltSize}");
        }

        ScryptParameters parameters;
        try
        {
            parameters = new ScryptParameters(n, r, p);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new FormatException($"key file has invalid scrypt parameters N={n}, r={r}, p={p}", e);
        }

        if (data.Length < MasterKey.Overhead)
        {
            throw new FormatException($"key file data is {data.Length} bytes, shorter than the {MasterKey.Overhead}-byte crypto overhead");
        }

        return new KeyFile(created, username, hostname, kdf, parameters, salt, data);
    }
}
