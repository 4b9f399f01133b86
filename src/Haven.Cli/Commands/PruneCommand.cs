// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Haven.Backup.Pruning;
using Haven.Cli.Output;
using Haven.Cli.Progress;

namespace Haven.Cli.Commands;

/// <summary>haven prune: deletes data that no snapshot uses, repacking partly used packs.</summary>
internal static class PruneCommand
{
    public static Command Create(GlobalOptions options)
    {
        var maxUnused = new Option<string>("--max-unused") { Description = "Unused space to tolerate: a percentage of the repository (\"5%\"), a size (\"100M\") or \"unlimited\"", DefaultValueFactory = _ => "5%" };
        var maxRepackSize = new Option<string?>("--max-repack-size") { Description = "Repack at most this much (a size like \"500M\")" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only report what would be deleted and repacked" };

        var command = new Command("prune", "Remove data that no snapshot uses") { maxUnused, maxRepackSize, dryRun };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            var pruneOptions = new PruneOptions
            {
                MaxUnused = Parse(() => UnusedLimit.Parse(result.GetValue(maxUnused)!), "--max-unused"),
                MaxRepackBytes = result.GetValue(maxRepackSize) is { } size ? Parse(() => ByteSize.Parse(size), "--max-repack-size") : long.MaxValue,
                DryRun = result.GetValue(dryRun),
            };

            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            return await RunAsync(context, repository, pruneOptions, cancellationToken);
        });
        return command;
    }

    /// <summary>Prunes with progress and prints the statistics; also what 'forget --prune' runs.</summary>
    internal static async Task<int> RunAsync(CliContext context, Repository.Repository repository, PruneOptions pruneOptions, CancellationToken cancellationToken)
    {
        {
            var pruner = new Pruner(repository);
            var clock = Stopwatch.StartNew();
            PruneResult prune;
            await using (new ProgressLoop(ProgressLoop.ModeFor(context), () => TextLine(pruner.Status, clock), () => JsonLine(context, pruner.Status, clock)))
            {
                prune = await pruner.RunAsync(pruneOptions, cancellationToken);
            }

            if (context.Json)
            {
                context.Printer.JsonLine(Summary(prune), CliJson.Output.PruneSummaryMessage);
            }
            else if (!context.Quiet)
            {
                PrintStats(context.Printer, prune);
            }

            if (prune.IndexFilesRetained + prune.PacksRetained > 0)
            {
                string until = prune.RetainedUntil is { } date ? $" until {date.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : string.Empty;
                Console.Error.WriteLine($"Warning: the repository's storage keeps {prune.IndexFilesRetained} old index files and {prune.PacksRetained} packs under a retention period (Object Lock){until}; they could not be deleted yet.");
                Console.Error.WriteLine("The repository is valid; run prune again after that date to delete them.");
            }

            return ExitCodes.Success;
        }
    }

    private static T Parse<T>(Func<T> parse, string option)
    {
        try
        {
            return parse();
        }
        catch (FormatException error)
        {
            throw new UsageException($"{option}: {error.Message}");
        }
    }

    private static void PrintStats(Printer printer, PruneResult prune)
    {
        var s = prune.Stats;
        printer.Line($"used:         {s.UsedBlobs,10} blobs / {Units.Bytes(s.UsedBytes)}");
        if (s.DuplicateBlobs > 0)
        {
            printer.Line($"duplicates:   {s.DuplicateBlobs,10} blobs / {Units.Bytes(s.DuplicateBytes)}");
        }

        printer.Line($"unused:       {s.UnusedBlobs,10} blobs / {Units.Bytes(s.UnusedBytes)}");
        if (s.UnreferencedBytes > 0)
        {
            printer.Line($"unreferenced:                    {Units.Bytes(s.UnreferencedBytes)}");
        }

        printer.Line($"total:        {s.TotalBlobs,10} blobs / {Units.Bytes(s.TotalBytes)}");
        printer.Line($"unused size: {Percent(s.DuplicateBytes + s.UnusedBytes, s.TotalBytes)} of total size");
        printer.Line(string.Empty);
        printer.Line($"to repack:    {s.RepackBlobs,10} blobs / {Units.Bytes(s.RepackBytes)}");
        printer.Line($"this removes: {s.RepackRemovedBlobs,10} blobs / {Units.Bytes(s.RepackRemovedBytes)}");
        printer.Line($"to delete:    {s.DeleteBlobs,10} blobs / {Units.Bytes(s.DeleteBytes + s.UnreferencedBytes)}");
        printer.Line($"total prune:  {s.PruneBlobs,10} blobs / {Units.Bytes(s.PruneBytes)}");
        printer.Line($"remaining:    {s.RemainingBlobs,10} blobs / {Units.Bytes(s.RemainingBytes)}");
        printer.Line($"unused size after prune: {Units.Bytes(s.UnusedBytesAfter)} ({Percent(s.UnusedBytesAfter, s.RemainingBytes)} of remaining size)");
        printer.Line(string.Empty);
        printer.Line($"totally used packs: {s.PacksUsed,10}");
        printer.Line($"partly used packs:  {s.PacksPartlyUsed,10}");
        printer.Line($"unused packs:       {s.PacksUnused,10}");
        printer.Line(string.Empty);
        printer.Line($"to keep:      {s.PacksToKeep,10} packs");
        printer.Line($"to repack:    {s.PacksToRepack,10} packs");
        printer.Line($"to delete:    {s.PacksToDelete,10} packs");
        if (s.PacksUnreferenced > 0)
        {
            printer.Line($"to delete:    {s.PacksUnreferenced,10} unreferenced packs");
        }

        printer.Line(string.Empty);
        printer.Line(prune.DryRun
            ? "dry run: nothing was changed"
            : $"done: {prune.PacksWritten} new packs, {prune.IndexFilesWritten} index files replace {prune.IndexFilesDeleted}, {Units.Bytes(s.PruneBytes)} freed");
    }

    private static string Percent(long part, long whole) =>
        whole > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.00}%") : "0.00%";

    private static string TextLine(PruneStatus status, Stopwatch clock) => status.Phase switch
    {
        PrunePhase.Repacking => $"[{Units.Duration(clock.Elapsed)}] repacking: {status.PacksRepacked}/{status.PacksToRepack} packs, {Units.Bytes(status.BytesRepacked)}/{Units.Bytes(status.BytesToRepack)}",
        PrunePhase.FindingUsedBlobs => $"[{Units.Duration(clock.Elapsed)}] finding data in use by {status.Snapshots} snapshots: {status.TreesWalked} trees",
        _ => $"[{Units.Duration(clock.Elapsed)}] {PhaseName(status.Phase).Replace('_', ' ')}",
    };

    private static void JsonLine(CliContext context, PruneStatus status, Stopwatch clock) =>
        context.Printer.JsonLine(
            new PruneStatusMessage("status", PhaseName(status.Phase), (long)clock.Elapsed.TotalSeconds, status.TreesWalked, status.PacksToRepack, status.PacksRepacked),
            CliJson.Output.PruneStatusMessage);

    private static string PhaseName(PrunePhase phase) => phase switch
    {
        PrunePhase.LoadingIndex => "loading_index",
        PrunePhase.FindingUsedBlobs => "finding_used_blobs",
        PrunePhase.Planning => "planning",
        PrunePhase.Repacking => "repacking",
        PrunePhase.WritingIndex => "writing_index",
        PrunePhase.DeletingOldIndexes => "deleting_old_indexes",
        PrunePhase.DeletingPacks => "deleting_packs",
        _ => "done",
    };

    private static PruneSummaryMessage Summary(PruneResult prune)
    {
        var s = prune.Stats;
        return new PruneSummaryMessage(
            "summary", prune.DryRun, s.UsedBlobs, s.UsedBytes, s.DuplicateBlobs, s.DuplicateBytes, s.UnusedBlobs, s.UnusedBytes, s.UnreferencedBytes,
            s.TotalBlobs, s.TotalBytes, s.RepackBlobs, s.RepackBytes, s.RepackRemovedBlobs, s.RepackRemovedBytes, s.DeleteBlobs, s.DeleteBytes,
            s.PruneBlobs, s.PruneBytes, s.RemainingBlobs, s.RemainingBytes, s.UnusedBytesAfter, s.PacksUsed, s.PacksPartlyUsed, s.PacksUnused,
            s.PacksToKeep, s.PacksToRepack, s.PacksToDelete, s.PacksUnreferenced, prune.PacksWritten, prune.IndexFilesWritten, prune.IndexFilesDeleted);
    }
}
