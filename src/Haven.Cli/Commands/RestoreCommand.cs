// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Diagnostics;
using Haven.Backup.Filtering;
using Haven.Backup.Restoring;
using Haven.Cli.Output;
using Haven.Cli.Progress;
using Haven.Repository.Snapshots;

namespace Haven.Cli.Commands;

/// <summary>haven restore: writes a snapshot, or a part of it, into a folder.</summary>
internal static class RestoreCommand
{
    public static Command Create(GlobalOptions options)
    {
        var snapshotArgument = new Argument<string>("SNAPSHOT[:SUBPATH]") { Description = "Snapshot ID (a unique prefix) or 'latest', optionally followed by :path inside it" };
        var target = new Option<string>("--target", "-t") { Description = "Folder to restore into (created if missing)", Required = true };
        var include = new Option<string[]>("--include", "-i") { Description = "Restore only paths matching a pattern (may be repeated)" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Do not restore paths matching a pattern (may be repeated)" };
        var verify = new Option<bool>("--verify") { Description = "Read every restored file back and check it against the snapshot" };
        var filter = new SnapshotFilterOptions();

        var command = new Command("restore", "Restore a snapshot into a folder") { snapshotArgument, target, include, exclude, verify };
        filter.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            string name = result.GetValue(snapshotArgument)!;
            string subPath = "/";
            int colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                subPath = name[(colon + 1)..];
                name = name[..colon];
            }

            var restoreOptions = new RestoreOptions
            {
                Target = result.GetValue(target)!,
                SubPath = subPath.Length == 0 ? "/" : subPath,
                Includes = Filter(result.GetValue(include), "--include"),
                Excludes = Filter(result.GetValue(exclude), "--exclude"),
                Verify = result.GetValue(verify),

                // Each worker waits on one ranged read at a time: over a network more of them keep the connections busy.
                PackWorkers = context.Locator.IsRemote ? 3 : 2,
            };

            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            var (id, snapshot) = await SnapshotCatalog.FindAsync(repository, name, filter.Read(result), cancellationToken);
            context.Printer.Note($"restoring snapshot {id.ToShortString()} of {string.Join(", ", snapshot.Paths ?? [])} at {snapshot.Time} to {restoreOptions.Target}");
            var restorer = new Restorer(repository, context.FileSystem, error => Report(context, error));
            var clock = Stopwatch.StartNew();
            RestoreResult restore;
            await using (new ProgressLoop(ProgressLoop.ModeFor(context), () => TextLine(restorer.Status, clock), () => JsonLine(context, restorer.Status, clock)))
            {
                restore = await restorer.RunAsync(snapshot, restoreOptions, cancellationToken);
            }

            var status = restore.Status;
            if (context.Json)
            {
                context.Printer.JsonLine(
                    new RestoreSummaryMessage("summary", restore.Duration.TotalSeconds, status.FilesTotal, status.FilesDone, status.BytesTotal, status.BytesDone, status.FilesVerified, status.Errors),
                    CliJson.Output.RestoreSummaryMessage);
            }
            else if (!context.Quiet)
            {
                string verified = restoreOptions.Verify ? $", {status.FilesVerified} verified" : string.Empty;
                context.Printer.Line($"restored {status.FilesDone} files, {Units.Bytes(status.BytesDone)} in {Units.Duration(restore.Duration)}{verified}");
            }

            if (restore.Errors.Count > 0)
            {
                throw new RestoreFailedException($"{restore.Errors.Count} entries could not be restored or verified (listed above)");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static PathFilter Filter(string[]? patterns, string option)
    {
        try
        {
            return new PathFilter((patterns ?? []).Select(p => new GlobPattern(p)));
        }
        catch (ArgumentException error)
        {
            throw new UsageException($"{option}: {error.Message}");
        }
    }

    private static string TextLine(RestoreStatus status, Stopwatch clock)
    {
        double rate = clock.Elapsed.TotalSeconds > 0 ? status.BytesDone / clock.Elapsed.TotalSeconds : 0;
        string eta = rate > 0 && status.TotalsKnown ? $" ETA {Units.Duration(TimeSpan.FromSeconds(Math.Max(0, status.BytesTotal - status.BytesDone) / rate))}" : string.Empty;
        return $"[{Units.Duration(clock.Elapsed)}] {status.FilesDone}/{status.FilesTotal} files {Units.Bytes(status.BytesDone)}/{Units.Bytes(status.BytesTotal)}, {Units.Rate(rate)}{eta}  {status.CurrentFile}";
    }

    private static void JsonLine(CliContext context, RestoreStatus status, Stopwatch clock)
    {
        double percent = status.BytesTotal > 0 ? (double)status.BytesDone / status.BytesTotal : 0;
        context.Printer.JsonLine(
            new RestoreStatusMessage("status", (long)clock.Elapsed.TotalSeconds, percent, status.FilesTotal, status.FilesDone, status.BytesTotal, status.BytesDone),
            CliJson.Output.RestoreStatusMessage);
    }

    private static void Report(CliContext context, RestoreError error)
    {
        if (context.Json)
        {
            context.Printer.JsonLine(new RestoreErrorMessage("error", new ErrorText(error.Message), "restore", error.Path), CliJson.Output.RestoreErrorMessage);
        }
        else
        {
            context.Printer.Warning($"error: {error.Path}: {error.Message}");
        }
    }
}
