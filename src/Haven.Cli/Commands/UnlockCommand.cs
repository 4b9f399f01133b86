// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Repository.Locking;

namespace Haven.Cli.Commands;

/// <summary>haven unlock: removes stale locks (over 30 minutes old, or left by a dead process on this host), or with --remove-all every lock.</summary>
internal static class UnlockCommand
{
    public static Command Create(GlobalOptions options)
    {
        var removeAll = new Option<bool>("--remove-all") { Description = "Remove all locks, even those of running processes" };
        var command = new Command("unlock", "Remove stale locks") { removeAll };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            int removed = await RepositoryLock.RemoveAsync(repository, context.ParseResult.GetValue(removeAll), cancellationToken);
            if (!context.Quiet && !context.Json)
            {
                context.Printer.Line($"removed {removed} locks");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
