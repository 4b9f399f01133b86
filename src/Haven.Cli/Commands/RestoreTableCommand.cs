// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Diagnostics;
using Haven.Apps.Postgres.Logical;
using Haven.Cli.Output;
using Haven.Cli.Progress;
using Haven.Repository.Snapshots;

namespace Haven.Cli.Commands;

/// <summary>haven restore-table: one table of a snapshot's PostgreSQL dump back into a live database, in one transaction.</summary>
internal static class RestoreTableCommand
{
    public static Command Create(GlobalOptions options)
    {
        var snapshotArgument = new Argument<string>("SNAPSHOT") { Description = "Snapshot ID (a unique prefix) or 'latest', made with 'backup --postgres'" };
        var postgres = new Option<string>("--postgres") { Description = "The live database to restore into (libpq URI or key=value DSN)", Required = true };
        var table = new Option<string>("--table") { Description = "The table to bring back, as schema.name", Required = true };
        var asName = new Option<string?>("--as") { Description = "Create it under this name beside the existing table (same schema); the original is left alone" };
        var dataOnly = new Option<bool>("--data-only") { Description = "Only load the rows, into a table that exists" };
        var fromDatabase = new Option<string?>("--from-database") { Description = "Take the table from the dump of this database (default: the DSN's database)" };
        var filter = new SnapshotFilterOptions();
        var command = new Command("restore-table", "Restore one table of a PostgreSQL dump into a live database") { snapshotArgument, postgres, table, asName, dataOnly, fromDatabase };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            var request = new TableRestoreRequest
            {
                Connection = PostgresDsn.Parse(result.GetValue(postgres)!),
                Table = ParseTable(result.GetValue(table)!),
                As = AsName(result.GetValue(asName)),
                DataOnly = result.GetValue(dataOnly),
                FromDatabase = result.GetValue(fromDatabase),
            };

            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var (id, snapshot) = await SnapshotCatalog.FindAsync(repository, result.GetValue(snapshotArgument)!, filter.Read(result), cancellationToken);
            var restorer = new TableRestorer(repository, Environment.GetEnvironmentVariable, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            TableRestoreResult restored;
            await using (new ProgressLoop(ProgressLoop.ModeFor(context), () => TextLine(restorer.Status), () => JsonStatus(context, restorer.Status, clock)))
            {
                restored = await restorer.RestoreAsync(snapshot.Tree, request, cancellationToken);
            }

            Print(context, id.ToString(), restored);
            return ExitCodes.Success;
        });
        return command;
    }

    private static TableName ParseTable(string text)
    {
        try
        {
            return TableName.Parse(text);
        }
        catch (ArgumentException error)
        {
            throw new UsageException($"--table: {error.Message}");
        }
    }

    private static string? AsName(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var name = ParseTable(text);
        // A bare name lands in "public"; --as takes a name in the table's own schema, so only a bare name is allowed.
        return text.Contains('.', StringComparison.Ordinal) && !text.Trim().StartsWith('"')
            ? throw new UsageException($"--as '{text}': give a plain table name; the table stays in its own schema")
            : name.Name;
    }

    private static string TextLine(TableRestoreStatus status) =>
        status.DumpBytes > 0 ? $"{status.Phase}: {Units.Bytes(status.DumpBytesRead)} of the {Units.Bytes(status.DumpBytes)} dump read" : status.Phase;

    private static void JsonStatus(CliContext context, TableRestoreStatus status, Stopwatch clock) =>
        context.Printer.JsonLine(new RestoreTableStatusMessage("status", (long)clock.Elapsed.TotalSeconds, status.Phase, status.DumpBytes, status.DumpBytesRead), CliJson.Output.RestoreTableStatusMessage);

    private static void Print(CliContext context, string snapshotId, TableRestoreResult restored)
    {
        if (context.Json)
        {
            context.Printer.JsonLine(
                new RestoreTableSummaryMessage("summary", snapshotId, restored.Database, restored.DumpPath, restored.Table.ToString(), restored.RestoredAs.ToString(), restored.DataOnly,
                    restored.Rows, restored.Indexes, restored.Constraints, restored.Sequences, restored.SkippedForeignKeys, restored.Duration.TotalSeconds),
                CliJson.Output.RestoreTableSummaryMessage);
            return;
        }

        foreach (string skipped in restored.SkippedForeignKeys)
        {
            context.Printer.Warning($"warning: foreign key {skipped} was not restored");
        }

        if (context.Quiet)
        {
            return;
        }

        var p = context.Printer;
        string what = restored.DataOnly ? $"{restored.Rows} rows into {restored.RestoredAs}" : $"{restored.Table} as {restored.RestoredAs} with {restored.Rows} rows";
        p.Line($"restored {what} in database '{restored.Database}' from {restored.DumpPath} of snapshot {snapshotId[..8]} in {Units.Duration(restored.Duration)}");
        if (!restored.DataOnly)
        {
            p.Line($"indexes:     {List(restored.Indexes)}");
            p.Line($"constraints: {List(restored.Constraints)}");
            p.Line($"sequences:   {List(restored.Sequences)}");
        }
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
