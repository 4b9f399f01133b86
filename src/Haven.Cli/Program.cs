// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.CommandLine.Parsing;
using Haven.Cli;
using Haven.Cli.Commands;

var options = new GlobalOptions();
var root = new RootCommand("Haven: backup and disaster recovery, in restic's repository format");
options.AddTo(root);
root.Add(InitCommand.Create(options));
root.Add(BackupCommand.Create(options));
root.Add(SnapshotsCommand.Create(options));
root.Add(LsCommand.Create(options));
root.Add(RestoreCommand.Create(options));
root.Add(RestoreTableCommand.Create(options));
root.Add(DumpCommand.Create(options));
root.Add(CatCommand.Create(options));
root.Add(KeyCommand.Create(options));
root.Add(ForgetCommand.Create(options));
root.Add(TagCommand.Create(options));
root.Add(UnlockCommand.Create(options));
root.Add(VersionCommand.Create(options));
root.Add(DiffCommand.Create(options));
root.Add(FindCommand.Create(options));
root.Add(StatsCommand.Create(options));
root.Add(CopyCommand.Create(options));
root.Add(CheckCommand.Create(options));
root.Add(RepairCommand.Create(options));
root.Add(PruneCommand.Create(options));
root.Add(ServeCommand.Create(options));
root.Add(PgCommand.Create(options));

var parsed = root.Parse(args);
// A command that takes paths would otherwise take a mistyped flag for a path; after "--" a leading dash is a name.
var literal = parsed.Tokens.SkipWhile(token => token.Type != TokenType.DoubleDash).ToHashSet(ReferenceEqualityComparer.Instance);
var unknownFlags = parsed.CommandResult.Children.OfType<ArgumentResult>()
    .SelectMany(argument => argument.Tokens)
    .Where(token => token.Value.Length > 1 && token.Value[0] == '-' && !literal.Contains(token))
    .Select(token => $"unknown flag: {token.Value}");
var errors = parsed.Errors.Select(error => error.Message).Concat(unknownFlags).ToList();
if (errors.Count > 0)
{
    foreach (string error in errors)
    {
        Console.Error.WriteLine($"Fatal: {error}");
    }

    Console.Error.WriteLine("Run 'haven --help' (or 'haven COMMAND --help') to see the usage.");
    return ExitCodes.Usage;
}

return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
