// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;

namespace Haven.Cli.Commands;

/// <summary>haven pg: PostgreSQL physical backups (base backups, WAL archiving, point-in-time restore).</summary>
internal static class PgCommand
{
    public static Command Create(GlobalOptions options) =>
        new("pg", "PostgreSQL physical backups: base backups, WAL archiving and point-in-time restore")
        {
            PgBaseBackupCommand.Create(options),
            PgWalPushCommand.Create(options),
            PgRestoreCommand.Create(options),
            PgStatusCommand.Create(options),
        };
}
