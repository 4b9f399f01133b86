// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Apps.Postgres.Physical;
using Haven.Cli.Progress;

namespace Haven.Cli.Commands;

/// <summary>haven pg status: base backups, archived WAL range, gaps, and the age of the newest segment (the RPO achieved).</summary>
internal static class PgStatusCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("status", "Show base backups, the archived WAL and how old its newest segment is");
        command.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var status = await ArchiveInspector.InspectAsync(repository, cancellationToken);
            if (context.Json)
            {
                context.Printer.JsonLine(status, PhysicalJson.Default.ArchiveStatus);
                return ExitCodes.Success;
            }

            var p = context.Printer;
            if (status.Clusters.Count == 0)
            {
                p.Line("no PostgreSQL base backup or archived WAL in this repository");
            }

            foreach (var cluster in status.Clusters)
            {
                p.Line($"cluster {cluster.SystemIdentifier}");
                foreach (var backup in cluster.BaseBackups)
                {
                    p.Line($"  base backup {backup.SnapshotId[..8]}  finished {backup.FinishedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}  PostgreSQL {backup.ServerMajorVersion}  timeline {backup.Timeline}  LSN {backup.StartLsn}..{backup.StopLsn}  {Units.Bytes(backup.Bytes)}");
                }

                if (cluster.NewestSegment is null)
                {
                    p.Line("  no WAL archived yet: set archive_command = 'haven pg wal-push %p' (see docs)");
                    continue;
                }

                p.Line($"  WAL: {cluster.ArchivedSegments} segments {cluster.FirstSegment} .. {cluster.NewestSegment}, {cluster.HistoryFiles} history files");
                p.Line($"  newest segment written {cluster.NewestSegmentWrittenAt!.Value.ToLocalTime():yyyy-MM-dd HH:mm:ss}, {Units.Duration(TimeSpan.FromSeconds(cluster.NewestSegmentAgeSeconds!.Value))} ago (the RPO now)");
                p.Line(cluster.Gaps.Count == 0 ? "  no gaps" : $"  GAPS (point-in-time restore cannot cross them): {string.Join(", ", cluster.Gaps)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
