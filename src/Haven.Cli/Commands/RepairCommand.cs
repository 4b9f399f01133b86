// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Backup.Repairing;
using Haven.Format;
using Haven.Repository.Locking;

namespace Haven.Cli.Commands;

/// <summary>haven repair index|packs|snapshots: recovers what is left after damage that 'haven check' found.</summary>
internal static class RepairCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("repair", "Repair a damaged repository (run 'haven check' first)");
        command.Add(CreateIndex(options));
        command.Add(CreatePacks(options));
        command.Add(CreateSnapshots(options));
        return command;
    }

    private static Command CreateIndex(GlobalOptions options)
    {
        var command = new Command("index", "Rebuild the index from the headers of all packs");
        command.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            var result = await new IndexRebuilder(repository).RunAsync(new HashSet<Id>(), cancellationToken);
            PrintIndex(context, result);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreatePacks(GlobalOptions options)
    {
        var ids = new Argument<string[]>("PACK") { Description = "IDs of the damaged packs, as 'haven check --read-data' names them", Arity = ArgumentArity.OneOrMore };
        var command = new Command("packs", "Copy the intact blobs of damaged packs into new packs, then delete the damaged packs") { ids };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var packs = new List<Id>();
            foreach (string text in context.ParseResult.GetValue(ids) ?? [])
            {
                packs.Add(Id.TryParse(text, out var id) ? id : throw new UsageException($"'{text}' is not a pack ID (64 hex digits)"));
            }

            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            await repository.LoadIndexAsync(cancellationToken);
            var result = await new PackSalvager(repository).RunAsync(packs, cancellationToken);
            foreach (var lost in result.BlobsLost)
            {
                context.Printer.Line($"lost {(lost.Type == BlobType.Tree ? "tree" : "data")} blob {lost.Id}");
            }

            context.Printer.Line($"salvaged {result.BlobsSalvaged} blobs, lost {result.BlobsLost.Count}, removed {result.PacksRemoved} packs");
            PrintIndex(context, result.Index);
            if (result.BlobsLost.Count > 0)
            {
                context.Printer.Note("run 'haven repair snapshots' to remove the lost blobs from the snapshots");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateSnapshots(GlobalOptions options)
    {
        var forget = new Option<bool>("--forget") { Description = "Remove the damaged snapshots once their repaired versions are saved" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only report what would change" };
        var command = new Command("snapshots", "Rewrite snapshots without their missing data, tagged 'repaired'") { forget, dryRun };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var repairOptions = new SnapshotRepairOptions { Forget = context.ParseResult.GetValue(forget), DryRun = context.ParseResult.GetValue(dryRun) };
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            await repository.LoadIndexAsync(cancellationToken);
            var repaired = await new SnapshotRepairer(repository).RunAsync(repairOptions, cancellationToken);
            foreach (var snapshot in repaired)
            {
                context.Printer.RawLine($"snapshot {snapshot.Original.ToShortString()}");
                foreach (string change in snapshot.Changes)
                {
                    context.Printer.RawLine("  " + change);
                }

                string outcome = snapshot.Replacement is Id replacement ? $"  saved as {replacement.ToShortString()}" : repairOptions.DryRun ? "  would be repaired" : "  removed";
                context.Printer.Line(outcome + (snapshot.OriginalRemoved && snapshot.Replacement is not null ? ", original removed" : string.Empty));
            }

            context.Printer.Line(repaired.Count == 0 ? "no snapshots needed repair" : $"{repaired.Count} snapshots {(repairOptions.DryRun ? "would be " : string.Empty)}repaired");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void PrintIndex(CliContext context, IndexRebuildResult result)
    {
        foreach (var (pack, reason) in result.UnreadablePacks)
        {
            context.Printer.Warning($"pack {pack} is unreadable and left out of the index: {reason}");
        }

        context.Printer.Line($"indexed {result.Blobs} blobs in {result.Packs} packs: wrote {result.IndexesWritten} index files, removed {result.IndexesRemoved}");
    }
}
