// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Haven.Backup.Checking;
using Haven.Cli.Output;
using Haven.Cli.Progress;
using Haven.Repository.Locking;

namespace Haven.Cli.Commands;

/// <summary>haven check: verifies the repository's structure and, with --read-data, every byte of its packs.</summary>
internal static class CheckCommand
{
    public static Command Create(GlobalOptions options)
    {
        var readData = new Option<bool>("--read-data") { Description = "Read every pack and verify every blob in it" };
        var subset = new Option<string?>("--read-data-subset") { Description = "Read only a subset of the packs: N/M (the N-th of M groups) or P% (a random P percent)" };
        var command = new Command("check", "Check the repository for errors") { readData, subset };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var checkOptions = new CheckOptions { ReadData = context.ParseResult.GetValue(readData), Subset = ParseSubset(context.ParseResult.GetValue(subset)) };
            await using var repository = await context.OpenRepositoryAsync(cancellationToken);
            await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, cancellationToken);
            var checker = new Checker(repository);
            var clock = Stopwatch.StartNew();
            CheckResult result;
            await using (new ProgressLoop(ProgressLoop.ModeFor(context), () => TextLine(checker.Status, clock.Elapsed), () => context.Printer.JsonLine<JsonNode>(CheckMessages.Status(checker.Status, clock.Elapsed), CliJson.Output.JsonNode)))
            {
                result = await checker.RunAsync(checkOptions, cancellationToken);
            }

            Print(context, result);
            return result.HasErrors ? ExitCodes.Fatal : ExitCodes.Success;
        });
        return command;
    }

    private static ReadDataSubset? ParseSubset(string? text)
    {
        try
        {
            return text is null ? null : ReadDataSubset.Parse(text);
        }
        catch (FormatException error)
        {
            throw new UsageException($"--read-data-subset: {error.Message}");
        }
    }

    private static void Print(CliContext context, CheckResult result)
    {
        if (context.Json)
        {
            context.Printer.JsonLine<JsonNode>(CheckMessages.Summary(result), CliJson.Output.JsonNode);
            return;
        }

        foreach (var problem in result.Problems)
        {
            context.Printer.RawLine((problem.IsError ? "error: " : "hint: ") + problem.Message);
            foreach (string path in problem.Affected)
            {
                context.Printer.RawLine("  affects " + path);
            }
        }

        string read = result.PacksRead > 0 ? $", read {result.PacksRead} packs" : string.Empty;
        context.Printer.Note($"checked {result.Snapshots} snapshots, {result.Trees} trees, {result.Packs} packs{read}");
        int errors = result.Problems.Count(p => p.IsError);
        if (errors == 0)
        {
            context.Printer.Line("no errors were found");
        }
        else
        {
            context.Printer.Warning($"Fatal: the repository contains {errors} errors (listed above); see 'haven repair --help'");
        }
    }

    private static string TextLine(CheckStatus status, TimeSpan elapsed)
    {
        if (status.PacksToRead == 0)
        {
            return $"[{Units.Duration(elapsed)}] checking {status.Phase}";
        }

        double rate = elapsed.TotalSeconds > 0 ? status.BytesDone / elapsed.TotalSeconds : 0;
        string eta = rate > 0 ? $" ETA {Units.Duration(TimeSpan.FromSeconds(Math.Max(0, status.BytesToRead - status.BytesDone) / rate))}" : string.Empty;
        return $"[{Units.Duration(elapsed)}] {status.PacksDone}/{status.PacksToRead} packs read, {Units.Bytes(status.BytesDone)}/{Units.Bytes(status.BytesToRead)}, {Units.Rate(rate)}{eta}";
    }
}
