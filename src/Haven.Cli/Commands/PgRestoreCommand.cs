// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Globalization;
using Haven.Apps.Postgres;
using Haven.Apps.Postgres.Physical;

namespace Haven.Cli.Commands;

/// <summary>haven pg restore: a data directory and recovery settings that replay to a point in time.</summary>
internal static class PgRestoreCommand
{
    public static Command Create(GlobalOptions options)
    {
        var target = new Option<string>("--target") { Description = "The new data directory (must not exist or be empty)", Required = true };
        var walDir = new Option<string?>("--wal-dir") { Description = "Where the archived WAL is copied for restore_command (default: TARGET.wal)" };
        var time = new Option<string?>("--time") { Description = "Recover to this time: ISO 8601 with an offset (2026-11-26T06:18:35.5+00:00) or \"YYYY-MM-DD HH:MM:SS[.ffffff]\" in local time" };
        var restorePoint = new Option<string?>("--restore-point") { Description = "Recover to a restore point made with pg_create_restore_point(NAME)" };
        var lsn = new Option<string?>("--lsn") { Description = "Recover to this WAL position (X/Y)" };
        var exclusive = new Option<bool>("--exclusive") { Description = "Stop just before the target instead of just after it (recovery_target_inclusive = off)" };
        var snapshot = new Option<string?>("--snapshot") { Description = "The base backup snapshot to start from (default: chosen for the target)" };
        var systemId = new Option<ulong?>("--system-id") { Description = "The cluster to restore, when the repository holds several ('haven pg status' lists them)" };
        var owner = new Option<string?>("--owner") { Description = "USER[:GROUP] that will run PostgreSQL on the restored directory (chown -R)" };
        var pgBin = new Option<string?>("--pg-bin") { Description = "Folder of the PostgreSQL programs that will run it, to check the major version (default: $HAVEN_PG_BINDIR, else /usr/lib/postgresql/MAJOR/bin)" };
        var command = new Command("restore", "Lay out a data directory that PostgreSQL recovers to a point in time")
        {
            target, walDir, time, restorePoint, lsn, exclusive, snapshot, systemId, owner, pgBin,
        };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            var recoveryTarget = Target(result.GetValue(time), result.GetValue(restorePoint), result.GetValue(lsn), !result.GetValue(exclusive));
            var restoreOptions = new PointInTimeRestoreOptions
            {
                TargetDirectory = result.GetValue(target)!,
                WalDirectory = result.GetValue(walDir),
                Target = recoveryTarget,
                Snapshot = result.GetValue(snapshot),
                SystemId = result.GetValue(systemId),
                Owner = result.GetValue(owner),
                PostgresBinDirectory = result.GetValue(pgBin) ?? (Environment.GetEnvironmentVariable(PgTools.BinDirectoryVariable) is { Length: > 0 } pinned ? pinned : null),
            };
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var restored = await new PointInTimeRestorer(repository).RunAsync(restoreOptions, cancellationToken);
            if (context.Json)
            {
                context.Printer.JsonLine(restored, PhysicalJson.Default.PointInTimeRestoreResult);
                return ExitCodes.Success;
            }

            if (context.Quiet)
            {
                return ExitCodes.Success;
            }

            var p = context.Printer;
            p.Line($"restored base backup {restored.SnapshotId[..8]} of cluster {restored.SystemIdentifier} into {restored.DataDirectory}");
            p.Line($"copied {restored.WalFiles} archived WAL files to {restored.WalDirectory}; {Progress.Units.Bytes(restored.Bytes)} in {Progress.Units.Duration(TimeSpan.FromSeconds(restored.Seconds))}");
            p.Line($"start PostgreSQL on {restored.DataDirectory}: it replays to {restored.Target} and promotes (see recovery.signal and postgresql.auto.conf)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static RecoveryTarget Target(string? time, string? restorePoint, string? lsn, bool inclusive)
    {
        int given = (time is null ? 0 : 1) + (restorePoint is null ? 0 : 1) + (lsn is null ? 0 : 1);
        if (given > 1)
        {
            throw new UsageException("give at most one of --time, --restore-point and --lsn");
        }

        if (time is not null)
        {
            string[] local = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];
            if (DateTimeOffset.TryParseExact(time, local, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)
                || (time.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out at)))
            {
                return new RecoveryTarget(Time: at, Inclusive: inclusive);
            }

            throw new UsageException($"--time '{time}' is neither ISO 8601 (2026-11-26T06:18:35+00:00) nor \"YYYY-MM-DD HH:MM:SS[.ffffff]\"");
        }

        if (restorePoint is not null)
        {
            return restorePoint.Length is > 0 and < 64 ? new RecoveryTarget(RestorePoint: restorePoint, Inclusive: inclusive)
                : throw new UsageException("--restore-point: a restore point name has 1 to 63 characters");
        }

        if (lsn is not null)
        {
            return Lsn.TryParse(lsn, out var position) ? new RecoveryTarget(Position: position, Inclusive: inclusive)
                : throw new UsageException($"--lsn '{lsn}' is not a WAL position of the form X/Y, e.g. 0/3000148");
        }

        return RecoveryTarget.EndOfArchive;
    }
}
