// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Repository.Locking;
using Haven.Repository.Snapshots;

namespace Haven.Cli.Commands;

/// <summary>haven tag: changes the tags of snapshots by rewriting their files, as restic does.</summary>
internal static class TagCommand
{
    public static Command Create(GlobalOptions options)
    {
        var ids = new Argument<string[]>("ID") { Description = "Snapshots to change (ID prefixes or 'latest'); without them, all that match the filters", Arity = ArgumentArity.ZeroOrMore };
        var add = new Option<string[]>("--add") { Description = "Add these tags (a,b; may be repeated)" };
        var remove = new Option<string[]>("--remove") { Description = "Remove these tags (a,b; may be repeated)" };
        var set = new Option<string[]>("--set") { Description = "Replace all tags with these (a,b; may be repeated; --set '' clears them)" };
        var filter = new SnapshotFilterOptions();
        var command = new Command("tag", "Add, remove or set the tags of snapshots") { ids, add, remove, set };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            var toSet = result.GetValue(set) ?? [];
            var toAdd = (result.GetValue(add) ?? []).SelectMany(RetentionOptions.TagList).ToList();
            var toRemove = (result.GetValue(remove) ?? []).SelectMany(RetentionOptions.TagList).ToList();
            if (toSet.Length == 0 && toAdd.Count == 0 && toRemove.Count == 0)
            {
                throw new UsageException("nothing to do: give --add, --remove or --set");
            }

            if (toSet.Length > 0 && (toAdd.Count > 0 || toRemove.Count > 0))
            {
                throw new UsageException("--set cannot be combined with --add or --remove");
            }

            var change = new TagChange(toSet.Length > 0 ? toSet.SelectMany(RetentionOptions.TagList).ToList() : null, toAdd, toRemove);
            var snapshotFilter = filter.Read(result);
            var names = result.GetValue(ids) ?? [];
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            var targets = new List<(Id Id, Snapshot Snapshot)>();
            if (names.Length == 0)
            {
                targets.AddRange((await SnapshotCatalog.LoadAllAsync(repository, cancellationToken)).Where(s => snapshotFilter.Matches(s.Snapshot)));
            }
            else
            {
                foreach (string name in names)
                {
                    var found = await SnapshotCatalog.FindAsync(repository, name, snapshotFilter, cancellationToken);
                    if (!targets.Any(t => t.Id == found.Id))
                    {
                        targets.Add(found);
                    }
                }
            }

            int changed = 0;
            foreach (var (id, snapshot) in targets)
            {
                var saved = await change.RewriteAsync(repository, id, snapshot, cancellationToken);
                if (saved is Id newId)
                {
                    changed++;
                    if (context.Verbose && !context.Json)
                    {
                        context.Printer.Line($"{id.ToShortString()} is now {newId.ToShortString()}");
                    }
                }
            }

            if (!context.Quiet && !context.Json)
            {
                context.Printer.Line($"modified tags on {changed} snapshots");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
