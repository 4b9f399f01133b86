// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Haven.Server;

/// <summary>
/// Users and password hashes from an htpasswd file: bcrypt ($2a$, $2b$, $2y$, as <c>htpasswd -B</c>
/// writes) and {SHA}. A verified pair is remembered by a salted digest, so a client's many requests
/// do not each pay for bcrypt; the password itself is never kept.
/// </summary>
internal sealed class Htpasswd
{
    private readonly Dictionary<string, string> _hashes;
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(32);

    private Htpasswd(Dictionary<string, string> hashes)
    {
        _hashes = hashes;
    }

    public static Htpasswd Load(string file)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the htpasswd file {file}: {error.Message}", error);
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string hash = colon > 0 ? line[(colon + 1)..] : string.Empty;
            if (!IsBcrypt(hash) && !hash.StartsWith("{SHA}", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{file} line {i + 1}: not a 'user:hash' line with a bcrypt or {{SHA}} hash; create entries with 'htpasswd -B'");
            }

            hashes[line[..colon]] = hash;
        }

        return new Htpasswd(hashes);
    }

    public bool Contains(string user) => _hashes.ContainsKey(user);

    public bool Verify(string user, string password)
    {
        if (!_hashes.TryGetValue(user, out string? hash))
        {
            return false;
        }

        string key = Convert.ToHexString(HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes($"{user}\0{password}\0{hash}")));
        if (_verified.ContainsKey(key))
        {
            return true;
        }

        bool valid = IsBcrypt(hash) ? VerifyBcrypt(password, hash) : VerifySha1(password, hash);
        if (valid)
        {
            _verified[key] = true;
        }

        return valid;
    }

    private static bool IsBcrypt(string hash) =>
        hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal) || hash.StartsWith("$2y$", StringComparison.Ordinal);

    private static bool VerifyBcrypt(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    private static bool VerifySha1(string password, string hash)
    {
        byte[] expected;
        try
        {
            expected = Convert.FromBase64String(hash["{SHA}".Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA1.HashData(Encoding.UTF8.GetBytes(password)), expected);
    }
}
