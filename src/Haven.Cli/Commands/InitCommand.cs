// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Security.Cryptography;
using Haven.Cli.Output;
using Haven.Format.Chunking;

namespace Haven.Cli.Commands;

/// <summary>haven init: creates a new repository.</summary>
internal static class InitCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("init", "Create a new repository");
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var backend = context.Locator.CreateBackend();
            string password = PasswordSource.GetNew(context.PasswordFile);
            await using var repository = await Repository.Repository.InitAsync(backend, password, context.RepositoryOptions, NewPolynomial().Value, cancellationToken);
            if (context.Json)
            {
                context.Printer.JsonLine(new InitMessage("initialized", repository.Config.Id, backend.Location), CliJson.Default.InitMessage);
            }
            else if (!context.Quiet)
            {
                context.Printer.Line($"created Haven repository {repository.Config.Id[..10]} at {backend.Location}");
                context.Printer.Line(string.Empty);
                context.Printer.Line("Please note that knowledge of your password is required to access");
                context.Printer.Line("the repository. Losing your password means that your data is");
                context.Printer.Line("irrecoverably lost.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Polynomial NewPolynomial() => Polynomial.Random(() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
}
