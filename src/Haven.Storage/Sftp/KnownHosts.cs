// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Haven.Storage.Sftp;

/// <summary>
/// An OpenSSH known_hosts file, read-only: plain and hashed (<c>|1|salt|hash</c>) host names,
/// <c>[host]:port</c> names for other ports than 22, comma-separated patterns with <c>*</c>,
/// <c>?</c> and <c>!</c> negation, and the <c>@revoked</c> marker. <c>@cert-authority</c> lines
/// are ignored: Haven does not accept host certificates.
/// </summary>
public sealed class KnownHosts
{
    private readonly IReadOnlyList<KnownHostEntry> _entries;

    private KnownHosts(string path, IReadOnlyList<KnownHostEntry> entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    /// <summary>Reads <paramref name="path"/>; a missing file knows no hosts.</summary>
    public static KnownHosts Load(string path) =>
        Parse(path, File.Exists(path) ? File.ReadAllLines(path) : []);

    public static KnownHosts Parse(string path, IEnumerable<string> lines)
    {
        var entries = new List<KnownHostEntry>();
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            if (TryParseLine(number, raw, out var entry))
            {
                entries.Add(entry);
            }
        }

        return new KnownHosts(path, entries);
    }

    /// <summary>The name known_hosts lists a host under: the bare host for port 22, else [host]:port.</summary>
    public static string HostName(string host, int port) => port == SftpLocation.DefaultPort ? host : $"[{host}]:{port}";

    /// <summary>The key type written at the start of an SSH public key blob ("ssh-ed25519", "ssh-rsa", ...).</summary>
    public static string KeyTypeOf(ReadOnlySpan<byte> key)
    {
        if (key.Length < 4)
        {
            return string.Empty;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(key);
        return length <= key.Length - 4 ? Encoding.ASCII.GetString(key.Slice(4, (int)length)) : string.Empty;
    }

    /// <summary>The fingerprint OpenSSH prints for a key: "SHA256:" and unpadded base64.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> key) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(key)).TrimEnd('=');

    /// <summary>The key types listed for a host (revoked lines aside), to ask the server for one of those.</summary>
    public IReadOnlySet<string> KeyTypesFor(string host, int port)
    {
        string name = HostName(host, port);
        return _entries.Where(e => !e.IsRevoked && Matches(e.Hosts, name)).Select(e => e.KeyType).ToHashSet(StringComparer.Ordinal);
    }

    public HostKeyCheck Check(string host, int port, byte[] key)
    {
        string name = HostName(host, port);
        string type = KeyTypeOf(key);
        KnownHostEntry? sameType = null;
        KnownHostEntry? known = null;
        foreach (var entry in _entries)
        {
            bool sameKey = entry.Key.AsSpan().SequenceEqual(key);
            if (entry.IsRevoked)
            {
                // A revoked key is refused whichever host it claims to be.
                if (sameKey)
                {
                    return new HostKeyCheck(HostKeyVerdict.Revoked, entry);
                }

                continue;
            }

            if (!Matches(entry.Hosts, name))
            {
                continue;
            }

            if (sameKey)
            {
                known ??= entry;
            }
            else if (entry.KeyType == type)
            {
                sameType ??= entry;
            }
        }

        if (known is not null)
        {
            return new HostKeyCheck(HostKeyVerdict.Known, known);
        }

        return sameType is not null ? new HostKeyCheck(HostKeyVerdict.Changed, sameType) : new HostKeyCheck(HostKeyVerdict.Unknown, null);
    }

    private static bool TryParseLine(int number, string raw, out KnownHostEntry entry)
    {
        entry = null!;
        string line = raw.Trim();
        if (line.Length == 0 || line.StartsWith('#'))
        {
            return false;
        }

        string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        string? marker = null;
        int first = 0;
        if (fields[0].StartsWith('@'))
        {
            marker = fields[0];
            first = 1;
        }

        if (fields.Length - first < 3 || marker is not (null or "@revoked"))
        {
            return false;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(fields[first + 2]);
        }
        catch (FormatException)
        {
            return false;
        }

        entry = new KnownHostEntry(number, marker, fields[first], fields[first + 1], key);
        return true;
    }

    private static bool Matches(string hosts, string name)
    {
        if (hosts.StartsWith("|1|", StringComparison.Ordinal))
        {
            return MatchesHashed(hosts, name);
        }

        bool matched = false;
        foreach (string pattern in hosts.Split(','))
        {
            bool negated = pattern.StartsWith('!');
            if (Glob(negated ? pattern[1..] : pattern, name))
            {
                if (negated)
                {
                    return false;
                }

                matched = true;
            }
        }

        return matched;
    }

    private static bool MatchesHashed(string hosts, string name)
    {
        string[] parts = hosts.Split('|');
        if (parts.Length != 4)
        {
            return false;
        }

        try
        {
            byte[] salt = Convert.FromBase64String(parts[2]);
            byte[] hash = Convert.FromBase64String(parts[3]);
            return HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name)).AsSpan().SequenceEqual(hash);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>OpenSSH's match_pattern: '*' any run, '?' one character, case-insensitive.</summary>
    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            if (pattern[0] == '*')
            {
                pattern = pattern[1..];
                for (int skip = 0; skip <= name.Length; skip++)
                {
                    if (Glob(pattern, name[skip..]))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (name.Length == 0 || (pattern[0] != '?' && char.ToLowerInvariant(pattern[0]) != char.ToLowerInvariant(name[0])))
            {
                return false;
            }

            pattern = pattern[1..];
            name = name[1..];
        }

        return name.Length == 0;
    }
}
