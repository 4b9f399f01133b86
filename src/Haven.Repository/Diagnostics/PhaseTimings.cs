// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Haven.Repository.Diagnostics;

/// <summary>
/// Wall time of the fixed phases every repository command pays (opening, key derivation, lock,
/// index, snapshot listing), collected only when HAVEN_TIMINGS=1 (or HAVEN_PROFILE=FILE) so that bench/run.sh can break the
/// fixed cost down; the CLI prints them. Off, a measurement costs one static read.
/// </summary>
public static class PhaseTimings
{
    private static readonly ConcurrentQueue<(string Phase, TimeSpan Elapsed)> s_phases = new();

    /// <summary>On with HAVEN_TIMINGS=1 or HAVEN_PROFILE=FILE, as the stage profile is.</summary>
    public static bool Enabled => Format.Diagnostics.StageClock.Enabled;

    /// <summary>The phases measured so far, in the order they ended.</summary>
    public static IReadOnlyList<(string Phase, TimeSpan Elapsed)> Phases => s_phases.ToArray();

    /// <summary>Starts timing <paramref name="phase"/>; disposing the result records it.</summary>
    public static Measurement Measure(string phase) => new(phase, Enabled ? Stopwatch.GetTimestamp() : 0);

    public static void Record(string phase, TimeSpan elapsed)
    {
        if (Enabled)
        {
            s_phases.Enqueue((phase, elapsed));
        }
    }

    public readonly struct Measurement(string phase, long start) : IDisposable
    {
        public void Dispose()
        {
            if (start != 0)
            {
                Record(phase, Stopwatch.GetElapsedTime(start));
            }
        }
    }
}
