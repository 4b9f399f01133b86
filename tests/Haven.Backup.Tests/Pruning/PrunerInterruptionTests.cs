// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;
using Haven.Backup.FileSystem;
using Haven.Backup.Pruning;
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Repository;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Backup.Tests.Pruning;

/// <summary>
/// Pruner stopped for good just before each of its writes and deletions (the moments a kill can
/// hit): the repository stays valid for restic, and the next prune finishes the job.
/// </summary>
public sealed class PrunerInterruptionTests : IDisposable
{
    private const string Password = "pw";

    private readonly TempDirectory _temp = new("prune-interrupt");
    private readonly LocalFileSystem _fileSystem = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(FileType.Pack, false, 1)]
    [InlineData(FileType.Index, false, 1)]
    [InlineData(FileType.Index, false, 2)]
    [InlineData(FileType.Index, true, 1)]
    [InlineData(FileType.Index, true, 3)]
    [InlineData(FileType.Pack, true, 1)]
    [InlineData(FileType.Pack, true, 3)]
    public async Task A_prune_stopped_before_any_write_or_deletion_leaves_a_valid_repository(FileType type, bool onRemove, int nth)
    {
        var ct = TestContext.Current.CancellationToken;
        string repositoryPath = _temp.Combine("repo");
        var (remaining, sources) = await BuildAsync(repositoryPath, ct);
        var options = new PruneOptions { MaxUnused = UnusedLimit.Parse("0%") };

        var crashing = new CrashingBackend(new LocalBackend(repositoryPath), type, onRemove, nth);
        await using (var repository = await Repository.Repository.OpenAsync(crashing, Password, Options(), ct))
        {
            await Assert.ThrowsAsync<IOException>(() => new Pruner(repository).RunAsync(options, ct));
        }

        Assert.True(crashing.Crashed);
        var restic = new Restic(repositoryPath, Password);
        restic.RunChecked("unlock");
        AssertValid(restic, remaining, sources);

        await using (var repository = await Repository.Repository.OpenAsync(new LocalBackend(repositoryPath), Password, Options(), ct))
        {
            await new Pruner(repository).RunAsync(options, ct);
        }

        AssertValid(restic, remaining, sources);
        var again = restic.RunChecked("prune", "--dry-run", "-v", "--max-unused", "0%");
        Assert.Contains("total prune:           0 blobs / 0 B", again.Stdout, StringComparison.Ordinal);
    }

    private void AssertValid(Restic restic, IReadOnlyList<Id> remaining, IReadOnlyList<string> sources)
    {
        var check = restic.Run("check", "--read-data");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        for (int i = 0; i < remaining.Count; i++)
        {
            string target = _temp.Combine($"restored-{Guid.NewGuid():N}");
            restic.RunChecked("restore", remaining[i].ToString(), "--target", target);
            FileTree.AssertIdentical(sources[i], Path.Combine(target, sources[i].TrimStart('/')));
        }
    }

    /// <summary>Four generations of files (see the CLI's PruneRepository); the first two snapshots removed.</summary>
    private async Task<(List<Id> Remaining, List<string> Sources)> BuildAsync(string path, CancellationToken ct)
    {
        var snapshots = new List<Id>();
        var sources = new List<string>();
        await using (var repository = await Repository.Repository.InitAsync(new LocalBackend(path), Password, Options(), Polynomial.Random(() => (ulong)Random.Shared.NextInt64()).Value, ct))
        {
            string[][] generations = [["e"], ["a", "b", "shared"], ["a", "c", "shared"], ["c", "d", "shared"]];
            for (int g = 0; g < generations.Length; g++)
            {
                string folder = _temp.CreateSubdirectory($"gen{g}");
                foreach (string name in generations[g])
                {
                    byte[] content = new byte[300 * 1024];
                    new Random((name[0] * 31) + name.Length).NextBytes(content);
                    File.WriteAllBytes(Path.Combine(folder, name + ".bin"), content);
                }

                var result = await new Archiver(repository, _fileSystem).RunAsync(new BackupOptions { Paths = [folder] }, ct);
                snapshots.Add(result.SnapshotId!.Value);
                sources.Add(folder);
            }
        }

        foreach (var removed in snapshots.Take(2))
        {
            File.Delete(Path.Combine(path, "snapshots", removed.ToString()));
        }

        return ([.. snapshots.Skip(2)], [.. sources.Skip(2)]);
    }

    private RepositoryOptions Options() => new()
    {
        Identity = new ProcessIdentity(_fileSystem.HostName, "tester", 0, 0, Environment.ProcessId),
        KeyParameters = new Format.Crypto.ScryptParameters(1 << 10, 8, 1),
    };
}
