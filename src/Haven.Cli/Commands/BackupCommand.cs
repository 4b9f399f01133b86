// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Globalization;
using Haven.Backup.Archiving;
using Haven.Backup.Filtering;
using Haven.Cli.Output;
using Haven.Cli.Progress;
using Haven.Format;

namespace Haven.Cli.Commands;

/// <summary>haven backup: saves files or a stream as a new snapshot.</summary>
internal static class BackupCommand
{
    public static Command Create(GlobalOptions options)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files and folders to back up", Arity = ArgumentArity.ZeroOrMore };
        var tags = new Option<string[]>("--tag") { Description = "Add a tag to the snapshot (a,b adds two; may be repeated)" };
        var host = new Option<string?>("--host") { Description = "Host name to record instead of this machine's" };
        var time = new Option<string?>("--time") { Description = "Snapshot time to record, \"YYYY-MM-DD HH:MM:SS\" in local time" };
        var parent = new Option<string?>("--parent") { Description = "Snapshot to compare with, instead of the latest of the same host and paths" };
        var force = new Option<bool>("--force", "-f") { Description = "Read every file, even those unchanged since the parent" };
        var exclude = new Option<string[]>("--exclude", "-e") { Description = "Exclude paths matching a pattern (may be repeated)" };
        var excludeFile = new Option<string[]>("--exclude-file") { Description = "Read exclude patterns from a file (may be repeated)" };
        var oneFileSystem = new Option<bool>("--one-file-system", "-x") { Description = "Do not cross into other file systems" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Do everything but write to the repository" };
        var stdin = new Option<bool>("--stdin") { Description = "Back up what is read from standard input" };
        var stdinName = new Option<string>("--stdin-filename") { Description = "File name for --stdin", DefaultValueFactory = _ => "stdin" };

        var command = new Command("backup", "Create a new snapshot of files and folders") { paths, tags, host, time, parent, force, exclude, excludeFile, oneFileSystem, dryRun, stdin, stdinName };
        var hookOptions = new BackupHookOptions();
        hookOptions.AddTo(command);
        var fileSystemSnapshotOptions = new FileSystemSnapshotOptions();
        fileSystemSnapshotOptions.AddTo(command);
        var postgres = new PostgresBackupOptions();
        postgres.AddTo(command);
        var sqlite = new SqliteBackupOptions();
        sqlite.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var result = context.ParseResult;
            var excludeTexts = (result.GetValue(exclude) ?? []).ToList();
            var patterns = excludeTexts.Select(Pattern).ToList();
            foreach (string file in result.GetValue(excludeFile) ?? [])
            {
                var fromFile = ReadPatterns(file);
                patterns.AddRange(fromFile);
                excludeTexts.AddRange(fromFile.Select(p => p.Text));
            }

            bool useStdin = result.GetValue(stdin);
            bool otherSources = postgres.IsGiven(result) || sqlite.HasDatabases(result);
            var (targets, missing) = useStdin ? ([], []) : Targets(result.GetValue(paths) ?? [], context, otherSources);
            string stdinFileName = result.GetValue(stdinName)!;
            if (useStdin && (stdinFileName.Length == 0 || stdinFileName.Contains('/', StringComparison.Ordinal)))
            {
                throw new UsageException($"--stdin-filename '{stdinFileName}' must be a plain file name without '/'");
            }

            var backupOptions = new BackupOptions
            {
                Paths = targets,
                Tags = (result.GetValue(tags) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                Hostname = result.GetValue(host),
                Time = ParseTime(result.GetValue(time)),
                Force = result.GetValue(force),
                Excludes = new PathFilter(patterns),
                ExcludeTexts = excludeTexts,
                OneFileSystem = result.GetValue(oneFileSystem),
                DryRun = result.GetValue(dryRun),
                Stdin = useStdin ? new StdinSource(Console.OpenStandardInput(), stdinFileName) : null,
                CountTotals = !context.Quiet,
            };
            backupOptions = sqlite.Apply(result, backupOptions, context);

            await using var hooks = await hookOptions.StartAsync(context, cancellationToken);
            try
            {
                backupOptions = await postgres.ApplyAsync(result, backupOptions, cancellationToken);
                await EmbeddedRepository.EnsureAsync(context, cancellationToken);
                await using var repository = await context.OpenRepositoryAsync(cancellationToken);
                if (result.GetValue(parent) is { } parentName)
                {
                    var (parentId, _) = await Repository.Snapshots.SnapshotCatalog.FindAsync(repository, parentName, Repository.Snapshots.SnapshotFilter.None, cancellationToken);
                    backupOptions = backupOptions with { Parent = parentId };
                }

                foreach (string path in missing)
                {
                    ReportWarning(context, new BackupWarning(path, $"{path} does not exist; it is not in the snapshot"));
                }

                var archiver = new Archiver(repository, context.FileSystem, warning => ReportWarning(context, warning));
                if (context.Verbose && !context.Quiet)
                {
                    archiver.Status.FileCompleted += file => ReportFile(context, file);
                }

                var printer = new BackupProgressPrinter(archiver.Status, context.Printer);
                BackupResult backup;
                await using (printer.Start(ProgressLoop.ModeFor(context)))
                await using (var volumes = await fileSystemSnapshotOptions.TakeAsync(context, backupOptions.Paths, cancellationToken))
                {
                    backup = await archiver.RunAsync(volumes.Set.Apply(backupOptions), cancellationToken);
                }

                PrintSummary(context, backup);
                return await hooks.FinishAsync(backup, backup.Warnings.Count > 0 || missing.Count > 0 ? ExitCodes.PartialBackup : ExitCodes.Success);
            }
            catch (Exception error)
            {
                hooks.RecordFailure(error);
                throw;
            }
        });
        return command;
    }

    private static (List<string> Targets, List<string> Missing) Targets(string[] given, CliContext context, bool otherSources)
    {
        if (given.Length == 0 && otherSources)
        {
            return ([], []);
        }

        if (given.Length == 0)
        {
            throw new UsageException("nothing to back up: give one or more paths, --sqlite DB, --postgres DSN or --stdin");
        }

        var targets = new List<string>();
        var missing = new List<string>();
        foreach (string path in given)
        {
            string full = Path.GetFullPath(path);
            string trimmed = full.Length > 1 ? full.TrimEnd('/') : full;
            try
            {
                context.FileSystem.LinkStatus(trimmed);
                targets.Add(trimmed);
            }
            catch (Backup.FileSystem.FileSystemException error) when (error.IsNotFound)
            {
                missing.Add(trimmed);
            }
        }

        if (targets.Count == 0)
        {
            throw new UsageException($"none of the paths to back up exist: {string.Join(", ", missing)}");
        }

        return (targets.Distinct(StringComparer.Ordinal).ToList(), missing);
    }

    private static GlobPattern Pattern(string text)
    {
        try
        {
            return new GlobPattern(text);
        }
        catch (ArgumentException error)
        {
            throw new UsageException($"--exclude: {error.Message}");
        }
    }

    private static List<GlobPattern> ReadPatterns(string file)
    {
        try
        {
            return PathFilter.ReadPatternFile(file).ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"--exclude-file {file}: {error.Message}");
        }
    }

    private static DateTimeOffset? ParseTime(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local))
        {
            throw new UsageException($"--time '{text}' is not of the form \"YYYY-MM-DD HH:MM:SS\"");
        }

        return new DateTimeOffset(local);
    }

    private static void ReportFile(CliContext context, FileCompletion file)
    {
        string change = file.Change switch
        {
            FileChange.New => "new",
            FileChange.Changed => "modified",
            _ => "unchanged",
        };
        if (context.Json)
        {
            context.Printer.JsonLine(new VerboseStatusMessage("verbose_status", change, file.Path, file.Size), CliJson.Output.VerboseStatusMessage);
        }
        else
        {
            context.Printer.RawLine($"{change,-10} {file.Path}, {Units.Bytes(file.Size)}");
        }
    }

    private static void ReportWarning(CliContext context, BackupWarning warning)
    {
        if (context.Json)
        {
            context.Printer.JsonLine(new BackupErrorMessage("error", new ErrorText(warning.Message), "archival", warning.Path), CliJson.Output.BackupErrorMessage);
        }
        else
        {
            context.Printer.Warning($"error: {warning.Message}");
        }
    }

    private static void PrintSummary(CliContext context, BackupResult backup)
    {
        var status = backup.Status;
        if (context.Json)
        {
            context.Printer.JsonLine(
                new BackupSummaryMessage("summary", status.FilesNew, status.FilesChanged, status.FilesUnmodified, status.DirsNew, status.DirsChanged, status.DirsUnmodified,
                    status.DataBlobs, backup.TreeBlobs, status.DataAdded, backup.DataAddedPacked, status.FilesDone, status.BytesDone, backup.Duration.TotalSeconds,
                    backup.SnapshotId?.ToString(), backup.SnapshotId is null),
                CliJson.Output.BackupSummaryMessage);
            return;
        }

        if (context.Quiet)
        {
            return;
        }

        var p = context.Printer;
        if (backup.ParentId is Id parent)
        {
            p.Line($"using parent snapshot {parent.ToShortString()}");
        }

        p.Line($"Files:       {status.FilesNew,5} new, {status.FilesChanged,5} changed, {status.FilesUnmodified,5} unmodified");
        p.Line($"Dirs:        {status.DirsNew,5} new, {status.DirsChanged,5} changed, {status.DirsUnmodified,5} unmodified");
        p.Line($"Added to the repository: {Units.Bytes(status.DataAdded)} ({Units.Bytes(backup.DataAddedPacked)} stored)");
        p.Line(string.Empty);
        p.Line($"processed {status.FilesDone} files, {Units.Bytes(status.BytesDone)} in {Units.Duration(backup.Duration)}");
        if (backup.Warnings.Count > 0)
        {
            p.Line($"{backup.Warnings.Count} source entries could not be read and are missing from the snapshot (listed above)");
        }

        p.Line(backup.SnapshotId is Id id ? $"snapshot {id.ToShortString()} saved" : "dry run: nothing was written");
    }
}
