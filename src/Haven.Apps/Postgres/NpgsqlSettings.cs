// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Npgsql;

namespace Haven.Apps.Postgres;

/// <summary>
/// Turns libpq keywords into an Npgsql connection string with libpq's defaults (PGHOST, PGPORT,
/// PGDATABASE, the Debian socket folder), so Npgsql reaches the same server as pg_dump would.
/// Npgsql reads PGUSER, PGPASSWORD, PGPASSFILE and ~/.pgpass itself.
/// </summary>
internal static class NpgsqlSettings
{
    public static string ConnectionString(PgConnectionInfo info, Func<string, string?> environment)
    {
        var p = info.Parameters;
        string hosts = p.GetValueOrDefault("host") ?? p.GetValueOrDefault("hostaddr") ?? environment("PGHOST") ?? "/var/run/postgresql";
        string[] ports = (p.GetValueOrDefault("port") ?? environment("PGPORT") ?? "5432").Split(',');
        string[] hostList = hosts.Split(',');
        var builder = new NpgsqlConnectionStringBuilder
        {
            Pooling = false,
            ApplicationName = p.GetValueOrDefault("application_name") ?? "haven",
        };
        if (hostList.Length == 1)
        {
            builder.Host = hostList[0];
            builder.Port = int.Parse(PortFor(ports, 0), System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            // Npgsql takes each host's port as host:port; libpq pairs the port list with the host list.
            builder.Host = string.Join(',', hostList.Select((host, i) => $"{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{PortFor(ports, i)}"));
        }

        string? user = p.GetValueOrDefault("user") ?? environment("PGUSER") ?? environment("USER");
        builder.Username = user;
        builder.Database = p.GetValueOrDefault("dbname") ?? environment("PGDATABASE") ?? user;
        builder.Password = info.Password;
        if (p.GetValueOrDefault("passfile") is { } passfile)
        {
            builder.Passfile = passfile;
        }

        if (p.GetValueOrDefault("connect_timeout") is { } timeout && int.TryParse(timeout, out int seconds) && seconds > 0)
        {
            builder.Timeout = seconds;
        }

        if (p.GetValueOrDefault("sslmode") is { } sslMode)
        {
            builder.SslMode = sslMode switch
            {
                "disable" => SslMode.Disable,
                "allow" => SslMode.Allow,
                "prefer" => SslMode.Prefer,
                "require" => SslMode.Require,
                "verify-ca" => SslMode.VerifyCA,
                "verify-full" => SslMode.VerifyFull,
                _ => throw PgConnectionInfo.BadDsn($"sslmode '{sslMode}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
            };
        }

        if (p.GetValueOrDefault("sslrootcert") is { } rootCertificate)
        {
            builder.RootCertificate = rootCertificate;
        }

        if (p.GetValueOrDefault("sslcert") is { } certificate)
        {
            builder.SslCertificate = certificate;
        }

        if (p.GetValueOrDefault("sslkey") is { } key)
        {
            builder.SslKey = key;
        }

        if (p.GetValueOrDefault("options") is { } options)
        {
            builder.Options = options;
        }

        return builder.ConnectionString;
    }

    private static string PortFor(string[] ports, int index)
    {
        string port = ports.Length == 1 ? ports[0] : index < ports.Length ? ports[index] : "";
        return port.Length == 0 ? "5432" : port;
    }
}
