// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Json;

namespace Haven.Format.Locks;

/// <summary>
/// A lock file's JSON: time, exclusive, hostname, username, pid, then uid and gid (omitted when 0),
/// as restic writes it with json.Marshal (no trailing newline).
/// </summary>
public sealed class LockFile
{
    public GoTimestamp Time { get; set; } = GoTimestamp.Zero;

    public bool Exclusive { get; set; }

    public string Hostname { get; set; } = "";

    public string Username { get; set; } = "";

    public int Pid { get; set; }

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    public byte[] ToJson()
    {
        var writer = new GoJsonWriter(192);
        writer.WriteStartObject();
        writer.WritePropertyName("time");
        writer.WriteString(Time.ToString());
        writer.WritePropertyName("exclusive");
        writer.WriteBool(Exclusive);
        writer.WritePropertyName("hostname");
        writer.WriteString(Hostname);
        writer.WritePropertyName("username");
        writer.WriteString(Username);
        writer.WritePropertyName("pid");
        writer.WriteNumber(Pid);
        if (Uid != 0)
        {
            writer.WritePropertyName("uid");
            writer.WriteNumber((ulong)Uid);
        }

        if (Gid != 0)
        {
            writer.WritePropertyName("gid");
            writer.WriteNumber((ulong)Gid);
        }

        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary>Decodes a lock file leniently (unknown keys ignored, keys case-insensitive).</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed.</exception>
    public static LockFile Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = LenientJson.Open(json);
            reader.Read();
            LenientJson.Expect(ref reader, JsonTokenType.StartObject, "lock");
            var lockFile = new LockFile();
            Span<char> buffer = stackalloc char[16];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlySpan<char> key = buffer[..LenientJson.PropertyName(ref reader, buffer)];
                reader.Read();
                switch (key)
                {
                    case "time": lockFile.Time = LenientJson.ReadTime(ref reader, "time"); break;
                    case "exclusive": lockFile.Exclusive = LenientJson.ReadBool(ref reader, "exclusive"); break;
                    case "hostname": lockFile.Hostname = LenientJson.ReadString(ref reader, "hostname") ?? ""; break;
                    case "username": lockFile.Username = LenientJson.ReadString(ref reader, "username") ?? ""; break;
                    case "pid": lockFile.Pid = checked((int)LenientJson.ReadInt64(ref reader, "pid")); break;
                    case "uid": lockFile.Uid = LenientJson.ReadUInt32(ref reader, "uid"); break;
                    case "gid": lockFile.Gid = LenientJson.ReadUInt32(ref reader, "gid"); break;
                    default: reader.Skip(); break;
                }
            }

            return lockFile;
        }
        catch (Exception e) when (e is JsonException or OverflowException)
        {
            throw new InvalidDataException($"cannot decode lock file: {e.Message}", e);
        }
    }
}
