// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>
/// Two generated trees shared read-only by the crash tests: the small standard tree for the
/// snapshot taken before a crash, and the medium one (about 60 MiB in 2,000 files) whose backup
/// runs long enough to be killed at a chosen moment.
/// </summary>
public sealed class CrashTreesFixture : IDisposable
{
    private readonly TempDirectory _temp = new("crash-trees");

    public CrashTreesFixture()
    {
        Small = _temp.Combine("small");
        Medium = _temp.Combine("medium");
        FileTree.Generate(Small, seed: 1);
        FileTree.Generate(Medium, seed: 2, scale: "medium");
    }

    public string Small { get; }

    public string Medium { get; }

    public void Dispose() => _temp.Dispose();
}
