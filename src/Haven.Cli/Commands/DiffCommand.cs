// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Text.Json.Nodes;
using Haven.Backup.Browsing;
using Haven.Cli.Output;
using Haven.Cli.Progress;
using Haven.Repository.Snapshots;

namespace Haven.Cli.Commands;

/// <summary>haven diff: what changed from one snapshot to another, as restic diff prints it.</summary>
internal static class DiffCommand
{
    public static Command Create(GlobalOptions options)
    {
        var firstArgument = new Argument<string>("SNAPSHOT1") { Description = "The older snapshot: ID (a unique prefix) or 'latest'" };
        var secondArgument = new Argument<string>("SNAPSHOT2") { Description = "The newer snapshot: ID (a unique prefix) or 'latest'" };
        var metadata = new Option<bool>("--metadata") { Description = "Also show entries whose metadata (mode, times, owner...) alone changed (U)" };
        var filter = new SnapshotFilterOptions();
        var command = new Command("diff", "Show the differences between two snapshots") { firstArgument, secondArgument, metadata };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            string first = result.GetValue(firstArgument)!;
            string second = result.GetValue(secondArgument)!;
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await repository.LoadIndexAsync(cancellationToken);
            var snapshotFilter = filter.Read(result);
            var (id1, snapshot1) = await SnapshotCatalog.FindAsync(repository, first, snapshotFilter, cancellationToken);
            var (id2, snapshot2) = await SnapshotCatalog.FindAsync(repository, second, snapshotFilter, cancellationToken);
            if (!context.Json && !context.Quiet)
            {
                context.Printer.Line($"comparing snapshot {id1.ToShortString()} to {id2.ToShortString()}:");
                context.Printer.Line(string.Empty);
            }

            var diff = new SnapshotDiff(repository, result.GetValue(metadata), change => Print(context, change));
            var summary = await diff.CompareAsync(snapshot1.Tree, snapshot2.Tree, cancellationToken);
            if (context.Json)
            {
                var statistics = new JsonObject
                {
                    ["message_type"] = "statistics",
                    ["source_snapshot"] = first,
                    ["target_snapshot"] = second,
                    ["changed_files"] = summary.ChangedFiles,
                    ["added"] = ToJson(summary.Added),
                    ["removed"] = ToJson(summary.Removed),
                };
                context.Printer.JsonLine<JsonNode>(statistics, CliJson.Output.JsonNode);
                return ExitCodes.Success;
            }

            var added = summary.Added;
            var removed = summary.Removed;
            context.Printer.Line(string.Empty);
            context.Printer.Line($"Files:       {added.Files,5} new, {removed.Files,5} removed, {summary.ChangedFiles,5} changed");
            context.Printer.Line($"Dirs:        {added.Dirs,5} new, {removed.Dirs,5} removed");
            context.Printer.Line($"Others:      {added.Others,5} new, {removed.Others,5} removed");
            context.Printer.Line($"Data Blobs:  {added.DataBlobs,5} new, {removed.DataBlobs,5} removed");
            context.Printer.Line($"Tree Blobs:  {added.TreeBlobs,5} new, {removed.TreeBlobs,5} removed");
            context.Printer.Line($"  Added:   {Units.Bytes(added.Bytes),-5}");
            context.Printer.Line($"  Removed: {Units.Bytes(removed.Bytes),-5}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext context, DiffChange change)
    {
        if (context.Json)
        {
            var line = new JsonObject { ["message_type"] = "change", ["path"] = change.Path, ["modifier"] = change.Modifier };
            context.Printer.JsonLine<JsonNode>(line, CliJson.Output.JsonNode);
        }
        else if (!context.Quiet)
        {
            context.Printer.RawLine($"{change.Modifier,-5}{change.Path}");
        }
    }

    private static JsonObject ToJson(DiffCounts counts) => new()
    {
        ["files"] = counts.Files,
        ["dirs"] = counts.Dirs,
        ["others"] = counts.Others,
        ["data_blobs"] = counts.DataBlobs,
        ["tree_blobs"] = counts.TreeBlobs,
        ["bytes"] = counts.Bytes,
    };
}
