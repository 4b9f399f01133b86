// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Globalization;
using Haven.Repository.Diagnostics;

namespace Haven.Cli.Output;

/// <summary>
/// With HAVEN_TIMINGS=1, writes the fixed cost of the command to stderr, one "haven-timing: PHASE
/// SECONDS s" line each: start-up (process start to the command body), the repository phases of
/// <see cref="PhaseTimings"/>, the command body, and the whole process so far. bench/run.sh reads them.
/// </summary>
internal static class PhaseTimingsPrinter
{
    public static long CommandStarted()
    {
        if (PhaseTimings.Enabled)
        {
            PhaseTimings.Record("start-up (runtime, JIT, parsing)", DateTime.Now - Process.GetCurrentProcess().StartTime);
        }

        return Stopwatch.GetTimestamp();
    }

    public static void CommandEnded(long started)
    {
        if (!PhaseTimings.Enabled)
        {
            return;
        }

        PhaseTimings.Record("command body", Stopwatch.GetElapsedTime(started));
        PhaseTimings.Record("process so far", DateTime.Now - Process.GetCurrentProcess().StartTime);
        foreach (var (phase, elapsed) in PhaseTimings.Phases)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"haven-timing: {phase} {elapsed.TotalSeconds:F3} s"));
        }
    }
}
