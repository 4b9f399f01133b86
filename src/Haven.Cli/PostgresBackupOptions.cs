// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Apps.Postgres;
using Haven.Apps.Postgres.Logical;
using Haven.Backup.Archiving;

namespace Haven.Cli;

/// <summary>backup --postgres DSN [--all-databases]: logical dumps of PostgreSQL stored beside the paths.</summary>
internal sealed class PostgresBackupOptions
{
    private readonly Option<string?> _postgres = new("--postgres") { Description = "Dump a PostgreSQL database (libpq URI or key=value DSN) into the snapshot under /postgres" };
    private readonly Option<bool> _allDatabases = new("--all-databases") { Description = "With --postgres: dump every database of the server except templates" };

    public void AddTo(Command command)
    {
        command.Add(_postgres);
        command.Add(_allDatabases);
    }

    /// <summary>True when --postgres was given: the backup may then have no paths.</summary>
    public bool IsGiven(ParseResult result) => result.GetValue(_postgres) is not null;

    /// <summary>Connects, checks the tools and adds the dumps to <paramref name="options"/>; throws before anything is written when the DSN or the tools are wrong.</summary>
    public async Task<BackupOptions> ApplyAsync(ParseResult result, BackupOptions options, CancellationToken cancellationToken)
    {
        if (result.GetValue(_postgres) is not { } dsn)
        {
            return result.GetValue(_allDatabases) ? throw new UsageException("--all-databases needs --postgres DSN") : options;
        }

        var connection = PostgresDsn.Parse(dsn);
        var plan = await LogicalBackup.PlanAsync(connection, result.GetValue(_allDatabases), Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        return options with { Streams = [.. options.Streams, .. plan.Streams] };
    }
}
