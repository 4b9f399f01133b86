// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Apps.Postgres;
using Haven.Apps.Postgres.Physical;
using Haven.Cli.Progress;

namespace Haven.Cli.Commands;

/// <summary>haven pg basebackup: streams pg_basebackup into a snapshot tagged pg-basebackup.</summary>
internal static class PgBaseBackupCommand
{
    public static Command Create(GlobalOptions options)
    {
        var dsn = new Option<string>("--postgres") { Description = "The server to back up, as a libpq connection string or URI (a replication-capable user)", Required = true };
        var pgBin = new Option<string?>("--pg-bin") { Description = "Folder holding pg_basebackup (default: $HAVEN_PG_BINDIR, else the newest of /usr/lib/postgresql/*/bin and PATH)" };
        var tags = new Option<string[]>("--tag") { Description = "Add a tag to the snapshot besides pg-basebackup (may be repeated)" };
        var host = new Option<string?>("--host") { Description = "Host name to record instead of this machine's" };
        var command = new Command("basebackup", "Take a base backup of a running PostgreSQL server into the repository") { dsn, pgBin, tags, host };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            var connection = PostgresDsn.Parse(result.GetValue(dsn)!);
            var environment = PgTools.WithBinDirectory(Environment.GetEnvironmentVariable, result.GetValue(pgBin));
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var runner = new BaseBackupRunner(repository, context.FileSystem, environment);
            BaseBackupResult backup;
            await using (new BackupProgressPrinter(runner.Status, context.Printer).Start(ProgressLoop.ModeFor(context)))
            {
                backup = await runner.RunAsync(connection, result.GetValue(tags) ?? [], result.GetValue(host), cancellationToken);
            }

            if (context.Json)
            {
                context.Printer.JsonLine(backup, PhysicalJson.Default.BaseBackupResult);
                return ExitCodes.Success;
            }

            if (context.Quiet)
            {
                return ExitCodes.Success;
            }

            var manifest = backup.Manifest;
            context.Printer.Line($"base backup of cluster {manifest.SystemIdentifier} (PostgreSQL {manifest.ServerMajorVersion}, timeline {manifest.Timeline}, LSN {manifest.StartLsn} to {manifest.StopLsn})");
            context.Printer.Line($"{Units.Bytes(backup.Bytes)} read, {Units.Bytes(backup.StoredBytes)} stored in {Units.Duration(TimeSpan.FromSeconds(backup.Seconds))}");
            context.Printer.Line($"snapshot {backup.SnapshotId[..8]} saved");
            return ExitCodes.Success;
        });
        return command;
    }
}
