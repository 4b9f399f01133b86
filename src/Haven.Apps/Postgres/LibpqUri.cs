// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres;

/// <summary>
/// libpq's connection URI, postgresql://[user[:password]@][host][:port][,host[:port]...][/dbname][?keyword=value&amp;...],
/// turned into keywords the way libpq does it (percent-decoded, several hosts become comma lists).
/// </summary>
internal static class LibpqUri
{
    public static List<KeyValuePair<string, string>> Parse(string uri)
    {
        string rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var result = new List<KeyValuePair<string, string>>();
        int query = rest.IndexOf('?', StringComparison.Ordinal);
        string? queryText = query >= 0 ? rest[(query + 1)..] : null;
        rest = query >= 0 ? rest[..query] : rest;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string authority = slash >= 0 ? rest[..slash] : rest;
        if (slash >= 0 && rest.Length > slash + 1)
        {
            result.Add(new("dbname", Decode(rest[(slash + 1)..])));
        }

        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = authority[..at];
            authority = authority[(at + 1)..];
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            string user = colon >= 0 ? userInfo[..colon] : userInfo;
            if (user.Length > 0)
            {
                result.Add(new("user", Decode(user)));
            }

            if (colon >= 0)
            {
                result.Add(new("password", Decode(userInfo[(colon + 1)..])));
            }
        }

        AddHosts(authority, result);
        foreach (string pair in (queryText ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw PgConnectionInfo.BadDsn($"'{pair}' in the URI's query is not keyword=value");
            }

            result.Add(new(Decode(pair[..equals]), Decode(pair[(equals + 1)..])));
        }

        return result;
    }

    private static void AddHosts(string authority, List<KeyValuePair<string, string>> result)
    {
        if (authority.Length == 0)
        {
            return;
        }

        var hosts = new List<string>();
        var ports = new List<string>();
        foreach (string spec in authority.Split(','))
        {
            string host = spec;
            string port = "";
            int close = spec.StartsWith('[') ? spec.IndexOf(']', StringComparison.Ordinal) : -1;
            int colon = spec.LastIndexOf(':');
            if (close >= 0)
            {
                host = spec[1..close];
                port = spec.Length > close + 1 && spec[close + 1] == ':' ? spec[(close + 2)..] : "";
            }
            else if (colon >= 0)
            {
                host = spec[..colon];
                port = spec[(colon + 1)..];
            }

            if (port.Length > 0 && !port.All(char.IsAsciiDigit))
            {
                throw PgConnectionInfo.BadDsn($"port '{port}' is not a number");
            }

            hosts.Add(Decode(host));
            ports.Add(port);
        }

        if (hosts.Any(host => host.Length > 0))
        {
            result.Add(new("host", string.Join(',', hosts)));
        }

        if (ports.Any(port => port.Length > 0))
        {
            result.Add(new("port", string.Join(',', ports)));
        }
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw PgConnectionInfo.BadDsn($"'{text}' is not percent-encoded correctly");
        }
    }
}
