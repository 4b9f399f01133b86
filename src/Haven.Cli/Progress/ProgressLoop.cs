// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Spectre.Console;

namespace Haven.Cli.Progress;

/// <summary>
/// Reports a running operation until stopped: a live line redrawn in place on a terminal (Spectre's
/// live display, on stderr), a plain line every ten seconds when stderr is not a terminal, or a JSON
/// status line every second with --json. HAVEN_PROGRESS_INTERVAL (seconds) overrides the pace.
/// </summary>
internal sealed class ProgressLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProgressLoop(ProgressMode mode, Func<string> textLine, Action jsonReport)
    {
        Mode = mode;
        var interval = IntervalFor(mode);
        _loop = mode switch
        {
            ProgressMode.Live => RunLiveAsync(textLine, interval),
            ProgressMode.Lines => RunAsync(() => Console.Error.WriteLine(textLine()), interval),
            ProgressMode.Json => RunAsync(jsonReport, interval),
            _ => Task.CompletedTask,
        };
    }

    public ProgressMode Mode { get; }

    public static ProgressMode ModeFor(CliContext context)
    {
        if (context.Quiet)
        {
            return ProgressMode.None;
        }

        if (context.Json)
        {
            return ProgressMode.Json;
        }

        return Console.IsErrorRedirected ? ProgressMode.Lines : ProgressMode.Live;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static TimeSpan IntervalFor(ProgressMode mode)
    {
        if (Environment.GetEnvironmentVariable("HAVEN_PROGRESS_INTERVAL") is { Length: > 0 } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return mode switch
        {
            ProgressMode.Live => TimeSpan.FromMilliseconds(250),
            ProgressMode.Json => TimeSpan.FromSeconds(1),
            _ => TimeSpan.FromSeconds(10),
        };
    }

    private async Task RunAsync(Action report, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            report();
        }
    }

    private Task RunLiveAsync(Func<string> textLine, TimeSpan interval)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Live(new Text(string.Empty)).AutoClear(true).StartAsync(async live =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    int width = Math.Max(20, console.Profile.Width - 1);
                    string line = textLine();
                    live.UpdateTarget(new Text(line.Length > width ? line[..width] : line));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: the live line is cleared on the way out.
            }
        });
    }
}
