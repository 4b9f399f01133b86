// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Backup.Pruning;
using Haven.Backup.Retention;
using Haven.Cli.Output;
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Repository.Locking;
using Haven.Repository.Snapshots;
using Haven.Storage;

namespace Haven.Cli.Commands;

/// <summary>haven forget: removes snapshots named by ID, or those a retention policy does not keep (per group).</summary>
internal static class ForgetCommand
{
    public static Command Create(GlobalOptions options)
    {
        var ids = new Argument<string[]>("ID") { Description = "Snapshots to remove (unique ID prefixes, or 'latest'); without them the policy decides", Arity = ArgumentArity.ZeroOrMore };
        var retention = new RetentionOptions();
        var filter = new SnapshotFilterOptions();
        var groupBy = new Option<string>("--group-by", "-g") { Description = "Apply the policy per group of snapshots with equal host, paths and/or tags ('' for one group)", DefaultValueFactory = _ => "host,paths" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only print what would be removed" };
        var prune = new Option<bool>("--prune") { Description = "Then remove the data no snapshot needs any more, as 'haven prune' does" };
        var command = new Command("forget", "Remove snapshots, by ID or by a retention policy") { ids, groupBy, dryRun, prune };
        retention.AddTo(command);
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            var policy = retention.Read(result);
            var names = result.GetValue(ids) ?? [];
            if (names.Length > 0 && !policy.IsEmpty)
            {
                throw new UsageException("give snapshot IDs or a --keep-* policy, not both");
            }

            SnapshotGrouping grouping;
            try
            {
                grouping = SnapshotGrouping.Parse(result.GetValue(groupBy) ?? string.Empty);
            }
            catch (FormatException error)
            {
                throw new UsageException(error.Message);
            }

            bool isDryRun = result.GetValue(dryRun);
            var snapshotFilter = filter.Read(result);
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            await using var release = held;
            var report = new ForgetReport(context.Printer, context.Json || context.Quiet);
            List<(Id Id, Snapshot Snapshot)> doomed;
            if (names.Length > 0)
            {
                doomed = [];
                foreach (string name in names)
                {
                    var found = await SnapshotCatalog.FindAsync(repository, name, snapshotFilter, cancellationToken);
                    if (!doomed.Any(d => d.Id == found.Id))
                    {
                        doomed.Add(found);
                    }
                }

                report.Explicit(doomed, isDryRun);
            }
            else if (policy.IsEmpty)
            {
                report.NoPolicy();
                doomed = [];
            }
            else
            {
                var snapshots = (await SnapshotCatalog.LoadAllAsync(repository, cancellationToken)).Where(s => snapshotFilter.Matches(s.Snapshot));
                var groups = RetentionPlanner.Apply(snapshots, policy, grouping, repository.Options.Time.GetUtcNow());
                report.Groups(policy, groups);
                doomed = groups.SelectMany(g => g.Remove).ToList();
            }

            var retained = new List<(Id Id, RetainedFileException Error)>();
            if (!isDryRun)
            {
                foreach (var (id, _) in doomed)
                {
                    try
                    {
                        await repository.Backend.RemoveAsync(FileHandle.For(FileType.Snapshot, id), cancellationToken);
                    }
                    catch (RetainedFileException error)
                    {
                        retained.Add((id, error));
                    }
                }
            }

            report.Removed(doomed.Select(d => d.Id).Where(id => !retained.Any(r => r.Id == id)).ToList(), isDryRun);
            foreach (var (id, error) in retained)
            {
                string until = error.RetainedUntil is { } date ? $" until {date.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : string.Empty;
                Console.Error.WriteLine($"Warning: snapshot {id.ToString()[..8]} was not removed: the repository's storage keeps it under a retention period (Object Lock){until}; forget it again after that date.");
            }
            if (context.Json)
            {
                context.Printer.JsonLine(report.Json, CliJson.Output.JsonArray);
            }

            if (result.GetValue(prune))
            {
                // Prune takes its own exclusive lock: forget's must go first.
                await held.DisposeAsync();
                return await PruneCommand.RunAsync(context, repository, new PruneOptions { DryRun = isDryRun }, cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
