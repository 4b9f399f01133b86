// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Runtime.InteropServices;
using Haven.Backup;
using Haven.Cli.Output;

namespace Haven.Cli.Commands;

/// <summary>haven version.</summary>
internal static class VersionCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("version", "Print the version");
        command.SetBody(options, (context, _) =>
        {
            string runtime = RuntimeInformation.FrameworkDescription;
            string platform = $"{RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant()}/{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
            if (context.Json)
            {
                context.Printer.JsonLine(new VersionMessage("version", ProgramInfo.Version, runtime, platform), CliJson.Output.VersionMessage);
            }
            else
            {
                context.Printer.Line($"{ProgramInfo.Version} compiled with {runtime} on {platform}");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
