// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Haven.Format.Crypto;

/// <summary>
/// A restic key file (keys/&lt;id&gt;): plain JSON holding the master key sealed with a key derived
/// from a password by scrypt. Several key files may wrap the same master key.
/// </summary>
public sealed class KeyFile
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal KeyFile(string created, string username, string hostname, string kdf, ScryptParameters parameters, byte[] salt, byte[] data)
    {
        Created = created;
        Username = username;
        Hostname = hostname;
        Kdf = kdf;
        N = parameters.N;
        R = parameters.R;
        P = parameters.P;
        Salt = salt;
        Data = data;
    }

    public string Created { get; }

    public string Username { get; }

    public string Hostname { get; }

    public string Kdf { get; }

    public int N { get; }

    public int R { get; }

    public int P { get; }

    public byte[] Salt { get; }

    public byte[] Data { get; }

    public static KeyFile Create(string password, MasterKey masterKey, ScryptParameters parameters, string username, string hostname, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] salt = RandomNumberGenerator.GetBytes(KeyDerivation.SaltSize);
        MasterKey userKey = KeyDerivation.DeriveUserKey(password, salt, parameters);
        byte[] plain = masterKey.ToJson();
        try
        {
            return new KeyFile(GoTime.FormatRfc3339Nano(created), username, hostname, "scrypt", parameters, salt, userKey.Seal(plain));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public static KeyFile Parse(ReadOnlySpan<byte> json) => KeyFileParser.Parse(json);

    /// <summary>Derives the user key and opens the master key; false when the password is wrong.</summary>
    public bool TryOpen(string password, [NotNullWhen(true)] out MasterKey? masterKey)
    {
        MasterKey userKey = KeyDerivation.DeriveUserKey(password, Salt, new ScryptParameters(N, R, P));
        byte[] plain;
        try
        {
            plain = userKey.Open(Data);
        }
        catch (CiphertextAuthenticationException)
        {
            masterKey = null;
            return false;
        }

        try
        {
            masterKey = MasterKey.FromJson(plain);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>restic's field order, no trailing newline.</summary>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(stream, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("created", Created);
            writer.WriteString("username", Username);
            writer.WriteString("hostname", Hostname);
            writer.WriteString("kdf", Kdf);
            writer.WriteNumber("N", N);
            writer.WriteNumber("r", R);
            writer.WriteNumber("p", P);
            writer.WriteBase64String("salt", Salt);
            writer.WriteBase64String("data", Data);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
