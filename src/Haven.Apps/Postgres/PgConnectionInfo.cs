// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;

namespace Haven.Apps.Postgres;

/// <summary>
/// A PostgreSQL DSN as libpq reads it (a postgresql:// URI, a key=value string or a bare database
/// name), kept as libpq keywords. The password is held apart so that it reaches the tools only
/// through their environment (PGPASSWORD) and never appears in a command line or a message;
/// without one, libpq and Npgsql take PGPASSWORD or ~/.pgpass themselves.
/// </summary>
public sealed class PgConnectionInfo
{
    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding", "connect_timeout",
        "client_encoding", "options", "application_name", "fallback_application_name", "keepalives", "keepalives_idle",
        "keepalives_interval", "keepalives_count", "tcp_user_timeout", "gssencmode", "sslmode", "requiressl", "sslcompression",
        "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "krbsrvname", "gsslib", "service", "target_session_attrs", "load_balance_hosts", "sslnegotiation",
        "sslcertmode", "require_auth",
    };

    private readonly SortedDictionary<string, string> _parameters;

    private PgConnectionInfo(SortedDictionary<string, string> parameters, string? password)
    {
        _parameters = parameters;
        Password = password;
    }

    /// <summary>libpq keywords and values, without the password.</summary>
    public IReadOnlyDictionary<string, string> Parameters => _parameters;

    /// <summary>The password given in the DSN itself, if any.</summary>
    public string? Password { get; }

    /// <summary>The database the DSN names; null leaves it to libpq's default (the user name).</summary>
    public string? Database => _parameters.GetValueOrDefault("dbname");

    /// <summary>Parses <paramref name="dsn"/>; throws <see cref="PostgresBackupException"/> naming what is wrong.</summary>
    public static PgConnectionInfo Parse(string dsn)
    {
        ArgumentNullException.ThrowIfNull(dsn);
        var parameters = dsn.StartsWith("postgresql://", StringComparison.Ordinal) || dsn.StartsWith("postgres://", StringComparison.Ordinal)
            ? LibpqUri.Parse(dsn)
            : dsn.Contains('=', StringComparison.Ordinal) ? ParseKeywords(dsn) : new List<KeyValuePair<string, string>> { new("dbname", dsn.Trim()) };
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (!s_keywords.Contains(key))
            {
                throw BadDsn($"'{key}' is not a libpq connection keyword");
            }

            sorted[key] = value;
        }

        if (sorted.ContainsKey("service"))
        {
            throw BadDsn("service= is not supported; give host, port, dbname and user directly");
        }

        sorted.Remove("password", out string? password);
        if (sorted.TryGetValue("dbname", out string? database) && database.Length == 0)
        {
            sorted.Remove("dbname");
        }

        return new PgConnectionInfo(sorted, password);
    }

    /// <summary>The same server and credentials, connected to another database.</summary>
    public PgConnectionInfo WithDatabase(string database)
    {
        var copy = new SortedDictionary<string, string>(_parameters, StringComparer.Ordinal) { ["dbname"] = database };
        return new PgConnectionInfo(copy, Password);
    }

    /// <summary>A key=value conninfo for pg_dump -d and friends, without the password.</summary>
    public string ToToolConnectionString() =>
        string.Join(' ', _parameters.Select(parameter => $"{parameter.Key}={QuoteValue(parameter.Value)}"));

    /// <summary>Environment for a tool's process: PGPASSWORD when the DSN carries a password.</summary>
    public IReadOnlyDictionary<string, string> ToolEnvironment() =>
        Password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PGPASSWORD"] = Password };

    /// <summary>How messages name the connection: host, port, database and user, never the password.</summary>
    public string Display
    {
        get
        {
            string host = _parameters.GetValueOrDefault("host") ?? _parameters.GetValueOrDefault("hostaddr") ?? "the default socket";
            string port = _parameters.TryGetValue("port", out string? p) ? $":{p}" : "";
            string user = _parameters.TryGetValue("user", out string? u) ? $" as {u}" : "";
            return $"{host}{port}/{Database ?? "(default database)"}{user}";
        }
    }

    internal static PostgresBackupException BadDsn(string reason) =>
        new(PostgresBackupError.BadConnectionString, $"the PostgreSQL DSN is not usable: {reason} (give a postgresql:// URI or a key=value string such as 'host=db port=5432 dbname=app user=backup')");

    private static List<KeyValuePair<string, string>> ParseKeywords(string text)
    {
        var result = new List<KeyValuePair<string, string>>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                return result;
            }

            int keyStart = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            string key = text[keyStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length || text[i] != '=' || key.Length == 0)
            {
                throw BadDsn($"missing '=' after '{key}'");
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            result.Add(new(key, ReadValue(text, ref i)));
        }
    }

    private static string ReadValue(string text, ref int i)
    {
        var value = new StringBuilder();
        bool quoted = i < text.Length && text[i] == '\'';
        if (quoted)
        {
            i++;
        }

        while (i < text.Length && (quoted ? text[i] != '\'' : !char.IsWhiteSpace(text[i])))
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            value.Append(text[i++]);
        }

        if (quoted)
        {
            if (i == text.Length)
            {
                throw BadDsn("a quoted value has no closing quote");
            }

            i++;
        }

        return value.ToString();
    }

    private static string QuoteValue(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '\\')
            ? value
            : "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
