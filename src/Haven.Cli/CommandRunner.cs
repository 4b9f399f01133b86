// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;

namespace Haven.Cli;

/// <summary>Runs a command body with one error policy: any exception becomes a message on stderr and its exit code.</summary>
internal static class CommandRunner
{
    public static void SetBody(this Command command, GlobalOptions options, Func<CliContext, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext? context = null;
            long started = Output.PhaseTimingsPrinter.CommandStarted();
            try
            {
                context = new CliContext(parseResult, options);
                return await body(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                int code = ExitCodes.For(error);
                var printer = context?.Printer ?? new Output.Printer(parseResult.GetValue(options.Json), quiet: false);
                if (error is OperationCanceledException)
                {
                    printer.Error(new OperationCanceledException("interrupted; the repository is unchanged apart from data that the next backup reuses"), code);
                }
                else
                {
                    printer.Error(error, code);
                    if (Environment.GetEnvironmentVariable("HAVEN_DEBUG") == "1")
                    {
                        Console.Error.WriteLine(error);
                    }
                }

                return code;
            }
            finally
            {
                Output.PhaseTimingsPrinter.CommandEnded(started);
            }
        });
    }
}
