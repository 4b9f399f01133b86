// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Apps.Postgres.Physical;
using Haven.Backup;

namespace Haven.Cli.Commands;

/// <summary>
/// haven pg wal-push %p: PostgreSQL's archive_command. Exits 0 only once the file is durable in the
/// repository; any other exit makes PostgreSQL keep the file and try again.
/// </summary>
internal static class PgWalPushCommand
{
    public static Command Create(GlobalOptions options)
    {
        var path = new Argument<string>("PATH") { Description = "The WAL file (%p in archive_command)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "The cluster's data directory, where .history and .backup files learn its system identifier (default: the current directory, as archive_command runs)" };
        var command = new Command("wal-push", "Archive one WAL file; use as archive_command = 'haven -r REPO -p PASSWORD_FILE pg wal-push %p'") { path, dataDir };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var pushed = await new WalPusher(repository, ProgramInfo.Version).PushAsync(result.GetValue(path)!, result.GetValue(dataDir) ?? Environment.CurrentDirectory, cancellationToken);
            bool compacted = !pushed.AlreadyArchived && await WalArchiveCompactor.TryCompactAsync(repository, pushed.SystemId, ProgramInfo.Version, cancellationToken);
            if (context.Json)
            {
                context.Printer.JsonLine(pushed, PhysicalJson.Default.WalPushResult);
                return ExitCodes.Success;
            }

            if (context.Quiet)
            {
                return ExitCodes.Success;
            }

            string what = pushed.AlreadyArchived ? "was archived already with the same content" : $"archived ({Progress.Units.Bytes(pushed.Size)}, {Progress.Units.Bytes(pushed.StoredBytes)} stored)";
            context.Printer.Line($"{pushed.File} {what} in {pushed.Seconds:0.000} s{(compacted ? "; archive compacted" : "")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
