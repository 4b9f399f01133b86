// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.Postgres;

namespace Haven.Cli;

/// <summary>Reads a --postgres DSN; a DSN that cannot be parsed is a usage error (exit code 2).</summary>
internal static class PostgresDsn
{
    public static PgConnectionInfo Parse(string dsn)
    {
        try
        {
            return PgConnectionInfo.Parse(dsn);
        }
        catch (PostgresBackupException error) when (error.Error == PostgresBackupError.BadConnectionString)
        {
            throw new UsageException($"--postgres: {error.Message}");
        }
    }
}
