// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;
using Haven.Backup.FileSystem;
using Haven.Backup.Restoring;
using Haven.Format.Crypto;
using Haven.Repository;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Backup.Tests;

/// <summary>A local repository in a test's folder, with the archiver and restorer run directly on it.</summary>
internal sealed class EngineRepository : IAsyncDisposable
{
    private EngineRepository(string path, Repository.Repository repository)
    {
        Path = path;
        Repository = repository;
    }

    public string Path { get; }

    public Repository.Repository Repository { get; }

    public LocalFileSystem FileSystem { get; } = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A new repository; a small <paramref name="packSize"/> spreads files over many packs.</summary>
    public static async Task<EngineRepository> InitAsync(TempDirectory temp, int packSize = 16 * 1024 * 1024, TimeProvider? time = null)
    {
        string path = temp.Combine("repo");
        var options = new RepositoryOptions
        {
            Identity = new ProcessIdentity(Environment.MachineName, "tester", 0, 0, Environment.ProcessId),
            KeyParameters = new ScryptParameters(1024, 8, 1),
            PackSize = packSize,
            Time = time ?? TimeProvider.System,
        };
        var repository = await Haven.Repository.Repository.InitAsync(new LocalBackend(path), Restic.DefaultPassword, options, 0x3DA3358B4DC173, Token);
        return new EngineRepository(path, repository);
    }

    public async Task<BackupResult> BackupAsync(params string[] paths) => await BackupAsync(new BackupOptions { Paths = paths });

    public async Task<BackupResult> BackupAsync(BackupOptions options)
    {
        var archiver = new Archiver(Repository, FileSystem);
        return await archiver.RunAsync(options, Token);
    }

    public async Task<RestoreResult> RestoreAsync(BackupResult backup, string target, string subPath = "/")
    {
        var restorer = new Restorer(Repository, FileSystem);
        return await restorer.RunAsync(backup.Snapshot, new RestoreOptions { Target = target, SubPath = subPath }, Token);
    }

    /// <summary>Fails the test with restic's output unless restic check --read-data passes.</summary>
    public void AssertResticCheckPasses()
    {
        var result = new Restic(Path).Run("check", "--read-data");
        Assert.True(result.ExitCode == 0, $"restic check --read-data failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
    }

    public ValueTask DisposeAsync() => Repository.DisposeAsync();
}
