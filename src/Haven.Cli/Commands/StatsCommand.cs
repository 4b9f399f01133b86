// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Haven.Backup.Statistics;
using Haven.Cli.Output;
using Haven.Cli.Progress;

namespace Haven.Cli.Commands;

/// <summary>haven stats: sizes and counts of snapshots, in restic's counting modes.</summary>
internal static class StatsCommand
{
    private static readonly string[] s_modes = ["restore-size", "files-by-contents", "raw-data", "blobs-per-file"];

    public static Command Create(GlobalOptions options)
    {
        var snapshotsArgument = new Argument<string[]>("SNAPSHOT") { Description = "Snapshots to count (ID prefix or 'latest'; default: all matching the filter)", Arity = ArgumentArity.ZeroOrMore };
        var modeOption = new Option<string>("--mode") { Description = "restore-size (default), files-by-contents, raw-data or blobs-per-file", DefaultValueFactory = _ => "restore-size" };
        modeOption.AcceptOnlyFromAmong(s_modes);
        var filter = new SnapshotFilterOptions();
        var command = new Command("stats", "Show sizes and counts of snapshots") { snapshotsArgument, modeOption };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            string modeName = result.GetValue(modeOption)!;
            var mode = (StatisticsMode)Array.IndexOf(s_modes, modeName);
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await repository.LoadIndexAsync(cancellationToken);
            var snapshots = await SnapshotSelection.SelectAsync(repository, result.GetValue(snapshotsArgument) ?? [], filter.Read(result), cancellationToken);
            context.Printer.Note("scanning...");
            var statistics = new SnapshotStatistics(repository, mode);
            foreach (var (_, snapshot) in snapshots)
            {
                await statistics.AddSnapshotAsync(snapshot.Tree, cancellationToken);
            }

            var summary = statistics.Summarize();
            if (context.Json)
            {
                context.Printer.JsonLine<JsonNode>(ToJson(summary, mode), CliJson.Output.JsonNode);
                return ExitCodes.Success;
            }

            Print(context.Printer, summary, mode, modeName);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(Printer printer, StatisticsSummary summary, StatisticsMode mode, string modeName)
    {
        printer.Line($"Stats in {modeName} mode:");
        printer.Line($"     Snapshots processed:  {summary.SnapshotsCount}");
        if (summary.TotalBlobCount > 0)
        {
            printer.Line($"        Total Blob Count:  {summary.TotalBlobCount}");
        }

        if (summary.TotalFileCount > 0)
        {
            printer.Line($"        Total File Count:  {summary.TotalFileCount}");
        }

        if (summary.TotalUncompressedSize > 0)
        {
            printer.Line($" Total Uncompressed Size:  {Units.Bytes(summary.TotalUncompressedSize)}");
        }

        printer.Line($"              Total Size:  {Units.Bytes(summary.TotalSize)}");
        if (summary.CompressionProgress > 0)
        {
            printer.Line(string.Create(CultureInfo.InvariantCulture, $"    Compression Progress:  {summary.CompressionProgress:0.00}%"));
        }

        if (summary.CompressionRatio > 0)
        {
            printer.Line(string.Create(CultureInfo.InvariantCulture, $"       Compression Ratio:  {summary.CompressionRatio:0.00}x"));
        }

        if (summary.CompressionSpaceSaving > 0)
        {
            printer.Line(string.Create(CultureInfo.InvariantCulture, $"Compression Space Saving:  {summary.CompressionSpaceSaving:0.00}%"));
        }

        if (mode == StatisticsMode.RawData && summary.DeduplicationRatio > 0)
        {
            printer.Line(string.Create(CultureInfo.InvariantCulture, $"     Deduplication Ratio:  {summary.DeduplicationRatio:0.00}x"));
        }
    }

    private static JsonObject ToJson(StatisticsSummary summary, StatisticsMode mode)
    {
        var json = new JsonObject { ["total_size"] = summary.TotalSize };
        if (mode == StatisticsMode.RawData)
        {
            json["total_uncompressed_size"] = summary.TotalUncompressedSize;
            json["compression_ratio"] = summary.CompressionRatio;
            json["compression_progress"] = summary.CompressionProgress;
            json["compression_space_saving"] = summary.CompressionSpaceSaving;
            json["deduplication_ratio"] = summary.DeduplicationRatio;
            json["restore_size"] = summary.RestoreSize;
        }

        json["total_file_count"] = summary.TotalFileCount;
        if (summary.TotalBlobCount > 0)
        {
            json["total_blob_count"] = summary.TotalBlobCount;
        }

        json["snapshots_count"] = summary.SnapshotsCount;
        return json;
    }
}
