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
        var copyChunkerParameters = new Option<bool>("--copy-chunker-params") { Description = "Use the chunker polynomial of the --from-repo repository, so data copied between the two deduplicates" };
        var source = new SourceRepositoryOptions();
        var command = new Command("init", "Create a new repository") { copyChunkerParameters };
        source.AddTo(command);
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var backend = context.Locator.CreateBackend();
            ulong polynomial = NewPolynomial().Value;
            if (context.ParseResult.GetValue(copyChunkerParameters))
            {
                await using var from = await source.OpenAsync(context, cancellationToken);
                polynomial = from.Config.ChunkerPolynomial;
            }
            else if (source.IsGiven(context.ParseResult) && context.ParseResult.GetValue(source.Repository) is not null)
            {
                throw new UsageException("--from-repo only matters with --copy-chunker-params; add it, or leave --from-repo out");
            }

            string password = PasswordSource.GetNew(context.PasswordFile);
            await using var repository = await Repository.Repository.InitAsync(backend, password, context.RepositoryOptions, polynomial, cancellationToken);
            if (context.Json)
            {
                context.Printer.JsonLine(new InitMessage("initialized", repository.Config.Id, backend.Location), CliJson.Output.InitMessage);
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
