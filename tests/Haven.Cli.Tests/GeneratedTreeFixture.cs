// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>One standard tree (seed 1), generated once and shared read-only by a test class.</summary>
public sealed class GeneratedTreeFixture : IDisposable
{
    private readonly TempDirectory _temp = new("tree");

    public GeneratedTreeFixture()
    {
        Path = _temp.Combine("original");
        FileTree.Generate(Path, seed: 1);
    }

    public string Path { get; }

    public void Dispose() => _temp.Dispose();
}
