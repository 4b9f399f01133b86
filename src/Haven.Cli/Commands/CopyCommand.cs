// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Text.Json.Nodes;
using Haven.Backup.Copying;
using Haven.Cli.Output;
using Haven.Cli.Progress;

namespace Haven.Cli.Commands;

/// <summary>haven copy: copies snapshots from another repository into this one, storing only the blobs it lacks.</summary>
internal static class CopyCommand
{
    public static Command Create(GlobalOptions options)
    {
        var snapshotsArgument = new Argument<string[]>("SNAPSHOT") { Description = "Source snapshots to copy (ID prefix or 'latest'; default: all matching the filter)", Arity = ArgumentArity.ZeroOrMore };
        var source = new SourceRepositoryOptions();
        var filter = new SnapshotFilterOptions();
        var command = new Command("copy", "Copy snapshots from another repository (--from-repo) into this one") { snapshotsArgument };
        source.AddTo(command);
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            await using var from = await source.OpenAsync(context, cancellationToken);
            await using var to = await context.OpenRepositoryAsync(cancellationToken);
            var snapshots = await SnapshotSelection.SelectAsync(from, result.GetValue(snapshotsArgument) ?? [], filter.Read(result), cancellationToken);
            var copier = new SnapshotCopier(from, to);
            await copier.CopyAsync(snapshots, copied => Print(context, copied), cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext context, CopiedSnapshot copied)
    {
        if (context.Json)
        {
            var line = new JsonObject
            {
                ["message_type"] = copied.Skipped ? "skipped" : "copied",
                ["source_snapshot"] = copied.SourceId.ToString(),
                ["snapshot"] = copied.DestinationId.ToString(),
                ["blobs_copied"] = copied.BlobsCopied,
                ["bytes_copied"] = copied.BytesCopied,
            };
            context.Printer.JsonLine<JsonNode>(line, CliJson.Output.JsonNode);
            return;
        }

        if (copied.Skipped)
        {
            context.Printer.Line($"skipping source snapshot {copied.SourceId.ToShortString()}, was already copied to snapshot {copied.DestinationId.ToShortString()}");
            return;
        }

        var snapshot = copied.Source;
        context.Printer.Line($"snapshot {copied.SourceId.ToShortString()} of [{string.Join(" ", snapshot.Paths ?? [])}] at {snapshot.Time.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}:");
        context.Printer.Line($"  copied {copied.BlobsCopied} blobs ({Units.Bytes(copied.BytesCopied)})");
        context.Printer.Line($"snapshot {copied.DestinationId.ToShortString()} saved");
    }
}
