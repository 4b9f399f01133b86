// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Haven.Format.Diagnostics;
using Haven.Repository.Diagnostics;

namespace Haven.Cli.Output;

/// <summary>
/// The profile of one command, for bench/run.sh. With HAVEN_TIMINGS=1 it goes to stderr: the fixed cost
/// ("haven-timing: PHASE SECONDS s": start-up, the repository phases of <see cref="PhaseTimings"/>, the
/// command body, the whole process so far), the data path ("haven-stage: STAGE SECONDS s ...", the
/// time of each <see cref="Stage"/> summed over threads) and the process ("haven-process: ...": CPU
/// seconds, GC). With HAVEN_PROFILE=FILE the same goes to FILE as tab-separated lines: kind, name,
/// seconds, and for stages bytes and calls.
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
        using var process = Process.GetCurrentProcess();
        PhaseTimings.Record("process so far", DateTime.Now - process.StartTime);
        var stages = StageClock.Totals();
        (string Name, double Value)[] figures =
        [
            ("user-cpu", process.UserProcessorTime.TotalSeconds),
            ("system-cpu", process.PrivilegedProcessorTime.TotalSeconds),
            ("gc-pause", GC.GetTotalPauseDuration().TotalSeconds),
            ("gc-collections", GC.CollectionCount(0)),
            ("allocated-bytes", GC.GetTotalAllocatedBytes()),
            ("stage-calls", stages.Sum(stage => stage.Calls)),
        ];

        if (Environment.GetEnvironmentVariable("HAVEN_TIMINGS") == "1")
        {
            foreach (var (phase, elapsed) in PhaseTimings.Phases)
            {
                Console.Error.WriteLine(Invariant($"haven-timing: {phase} {elapsed.TotalSeconds:F3} s"));
            }

            foreach (var (stage, elapsed, bytes, calls) in stages)
            {
                double rate = bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-9);
                Console.Error.WriteLine(Invariant($"haven-stage: {Name(stage)} {elapsed.TotalSeconds:F3} s {bytes} bytes {calls} calls ({rate:F0} MB/s)"));
            }

            Console.Error.WriteLine("haven-process: " + string.Join(", ", figures.Select(f => Invariant($"{f.Name} {f.Value:0.###}"))));
        }

        if (Environment.GetEnvironmentVariable("HAVEN_PROFILE") is { Length: > 0 } profilePath)
        {
            var text = new StringBuilder();
            foreach (var (phase, elapsed) in PhaseTimings.Phases)
            {
                text.Append(Invariant($"phase\t{phase}\t{elapsed.TotalSeconds:F6}\n"));
            }

            foreach (var (stage, elapsed, bytes, calls) in stages)
            {
                text.Append(Invariant($"stage\t{Name(stage)}\t{elapsed.TotalSeconds:F6}\t{bytes}\t{calls}\n"));
            }

            foreach (var (name, value) in figures)
            {
                text.Append(Invariant($"process\t{name}\t{value:0.######}\n"));
            }

            try
            {
                File.WriteAllText(profilePath, text.ToString());
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"haven: HAVEN_PROFILE: cannot write {profilePath}: {error.Message}");
            }
        }
    }

    private static string Name(Stage stage) => stage.ToString().ToLowerInvariant();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
