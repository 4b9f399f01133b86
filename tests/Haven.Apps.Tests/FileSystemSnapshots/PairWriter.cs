// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Apps.Tests.FileSystemSnapshots;

/// <summary>
/// A separate process that keeps rewriting two files together: generation N goes to "a", then to
/// "z", each replaced whole by a rename. So at any one instant z holds a's generation or the one
/// before it; a copy that finds anything else was not taken at one instant. Each file is fsynced
/// before its rename, as an application that wants its data to survive a power cut does: a btrfs
/// snapshot is crash-consistent, so data still in the page cache when it is taken may be missing
/// from it (CI once stored an empty "a" written without fsync).
/// </summary>
internal sealed class PairWriter : IDisposable
{
    private const string Script = """
        import os, sys
        folder, generation = sys.argv[1], 0
        while True:
            generation += 1
            data = (str(generation) + "\n").encode() * 150000
            for name in ("a", "z"):
                temporary = os.path.join(folder, "." + name + ".tmp")
                with open(temporary, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.rename(temporary, os.path.join(folder, name))
        """;

    private readonly RunningProcess _process;

    public PairWriter(string folder)
    {
        _process = ProcessRunner.Start("python3", ["-c", Script, folder]);
        Wait.Until(() => File.Exists(Path.Combine(folder, "z")), TimeSpan.FromSeconds(60), "the writer's first pair");
    }

    /// <summary>The generation a file of the pair holds; throws when it is torn (not one generation throughout).</summary>
    public static long GenerationOf(string content)
    {
        string[] lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(150000, lines.Length);
        Assert.All(lines, line => Assert.Equal(lines[0], line));
        return long.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _process.Kill();
        _process.Dispose();
    }
}
