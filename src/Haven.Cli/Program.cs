// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
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
root.Add(DumpCommand.Create(options));
root.Add(CatCommand.Create(options));
root.Add(KeyCommand.Create(options));
root.Add(VersionCommand.Create(options));
root.Add(PruneCommand.Create(options));

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"Fatal: {error.Message}");
    }

    Console.Error.WriteLine("Run 'haven --help' (or 'haven COMMAND --help') to see the usage.");
    return ExitCodes.Usage;
}

return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
