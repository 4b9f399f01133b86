// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;

namespace Haven.Format.Diagnostics;

/// <summary>A stage of the data path that <see cref="StageClock"/> times.</summary>
public enum Stage
{
    /// <summary>Listing directories and reading file metadata (stat, xattrs, owner names).</summary>
    Walk,

    /// <summary>Opening and reading source files (backup) or packs (restore, check).</summary>
    Read,

    /// <summary>Finding content-defined chunk boundaries.</summary>
    Chunk,

    /// <summary>SHA-256 of blobs and packs.</summary>
    Hash,

    /// <summary>Handing a chunk to the savers: its copy, and the wait when every saver is busy (a pipeline stall).</summary>
    Queue,

    Compress,

    /// <summary>AES-256-CTR and Poly1305 of a blob.</summary>
    Encrypt,

    /// <summary>Adding sealed blobs to the open pack.</summary>
    Pack,

    /// <summary>Finishing and storing packs and their index entries (backup); writing file content (restore).</summary>
    Write,

    /// <summary>Building tree JSON and parsing the parent snapshot's trees (backup); parsing trees (restore).</summary>
    Tree,

    /// <summary>Creating and opening restored files and directories.</summary>
    Create,

    /// <summary>Poly1305 check and AES-256-CTR of a blob.</summary>
    Decrypt,

    Decompress,

    /// <summary>Owner, mode, extended attributes and times of restored entries.</summary>
    Metadata,
}

/// <summary>
/// Time spent per <see cref="Stage"/>, with the bytes and calls, for the profile of a whole command
/// (HAVEN_TIMINGS=1 or HAVEN_PROFILE=FILE). Each thread adds to its own counters, summed at the end,
/// so measuring takes two Stopwatch timestamps and no lock or shared write; off, it is one static read
/// the JIT folds away. Times are elapsed time on the measuring thread: on a busy machine they include
/// moments the thread waited for a core, and stages that await (read, queue, write) include the wait.
/// </summary>
public static class StageClock
{
    private const int Fields = 3;
    private static readonly int s_stageCount = Enum.GetValues<Stage>().Length;
    private static readonly List<long[]> s_threads = [];

    [ThreadStatic]
    private static long[]? s_threadCounters;

    public static bool Enabled { get; } =
        Environment.GetEnvironmentVariable("HAVEN_TIMINGS") == "1" || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HAVEN_PROFILE"));

    /// <summary>A timestamp to pass to <see cref="Stop"/> or <see cref="Lap"/>; 0 when timing is off.</summary>
    public static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Counts the time since <paramref name="started"/> (from <see cref="Start"/>) to <paramref name="stage"/>.</summary>
    public static void Stop(Stage stage, long started, long bytes = 0)
    {
        if (started != 0)
        {
            Add(stage, Stopwatch.GetTimestamp() - started, bytes);
        }
    }

    /// <summary>Like <see cref="Stop"/>, and returns the timestamp that starts the next stage.</summary>
    public static long Lap(Stage stage, long started, long bytes = 0)
    {
        if (started == 0)
        {
            return 0;
        }

        long now = Stopwatch.GetTimestamp();
        Add(stage, now - started, bytes);
        return now;
    }

    /// <summary>The stages measured so far, in <see cref="Stage"/> order, summed over every thread.</summary>
    public static IReadOnlyList<(Stage Stage, TimeSpan Elapsed, long Bytes, long Calls)> Totals()
    {
        var sums = new long[s_stageCount * Fields];
        lock (s_threads)
        {
            foreach (long[] counters in s_threads)
            {
                for (int i = 0; i < sums.Length; i++)
                {
                    sums[i] += Volatile.Read(ref counters[i]);
                }
            }
        }

        var totals = new List<(Stage, TimeSpan, long, long)>();
        for (int s = 0; s < s_stageCount; s++)
        {
            long calls = sums[(s * Fields) + 2];
            if (calls > 0)
            {
                totals.Add(((Stage)s, Stopwatch.GetElapsedTime(0, sums[s * Fields]), sums[(s * Fields) + 1], calls));
            }
        }

        return totals;
    }

    private static void Add(Stage stage, long ticks, long bytes)
    {
        long[] counters = s_threadCounters ?? Register();
        int at = (int)stage * Fields;

        // Only this thread writes these counters; Totals reads them at the end.
        counters[at] += ticks;
        counters[at + 1] += bytes;
        counters[at + 2]++;
    }

    private static long[] Register()
    {
        long[] counters = new long[s_stageCount * Fields];
        lock (s_threads)
        {
            s_threads.Add(counters);
        }

        s_threadCounters = counters;
        return counters;
    }
}
