// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Backup.Archiving;
using Haven.Repository.Snapshots;
using Haven.Testing;

namespace Haven.Backup.Tests.Archiving;

/// <summary>Content produced during a backup (database dumps) stored beside files from disk.</summary>
public sealed class StreamSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new("streams");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Streams_land_at_their_paths_under_made_up_directories_beside_files_and_restic_restores_them()
    {
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "notes.txt"), "on disk");
        byte[] dump = new byte[3_000_000];
        new Random(7).NextBytes(dump);
        await using var repository = await EngineRepository.InitAsync(_temp);

        var backup = await repository.BackupAsync(new BackupOptions
        {
            Paths = [source],
            Streams =
            [
                Stream("/postgres/app.dump", dump),
                Stream("/postgres/globals.sql", Encoding.UTF8.GetBytes("CREATE ROLE app;\n")),
            ],
        });

        Assert.NotNull(backup.SnapshotId);
        Assert.Equal(new[] { "/postgres/app.dump", "/postgres/globals.sql", source }.Order(StringComparer.Ordinal), backup.Snapshot.Paths!.Order(StringComparer.Ordinal));
        repository.AssertResticCheckPasses();
        string target = _temp.Combine("restic-target");
        var restored = new Restic(repository.Path).Run("restore", "latest", "--target", target);
        Assert.True(restored.ExitCode == 0, restored.Stderr);
        Assert.Equal(dump, File.ReadAllBytes(target + "/postgres/app.dump"));
        Assert.Equal("CREATE ROLE app;\n", File.ReadAllText(target + "/postgres/globals.sql"));
        Assert.Equal("on disk", File.ReadAllText(target + source + "/notes.txt"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target + "/postgres/app.dump"));
        Assert.True(Directory.Exists(target + "/postgres"));
    }

    [Fact]
    public async Task A_producer_that_fails_after_its_stream_ends_aborts_the_backup_and_no_snapshot_is_written()
    {
        await using var repository = await EngineRepository.InitAsync(_temp);
        var failing = new StreamSource
        {
            SnapshotPath = "/dumps/app.dump",
            Open = _ => Task.FromResult<Stream>(new MemoryStream(new byte[1000])),
            Complete = _ => throw new InvalidOperationException("pg_dump exited with code 1"),
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => repository.BackupAsync(new BackupOptions { Streams = [failing] }));

        Assert.Contains("pg_dump exited with code 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(await SnapshotCatalog.LoadAllAsync(repository.Repository, Token));
        repository.AssertResticCheckPasses();
    }

    [Theory]
    [InlineData("relative/app.dump")]
    [InlineData("/dumps/../app.dump")]
    [InlineData("/dumps/")]
    public async Task A_stream_path_that_is_not_an_absolute_file_path_is_refused(string path)
    {
        await using var repository = await EngineRepository.InitAsync(_temp);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => repository.BackupAsync(new BackupOptions { Streams = [Stream(path, [1])] }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_inside_a_path_backed_up_from_disk_is_refused()
    {
        string source = _temp.CreateSubdirectory("source");
        await using var repository = await EngineRepository.InitAsync(_temp);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => repository.BackupAsync(new BackupOptions { Paths = [source], Streams = [Stream(source + "/x.dump", [1])] }));

        Assert.Contains("inside a path that is backed up", error.Message, StringComparison.Ordinal);
    }

    private static StreamSource Stream(string path, byte[] content) =>
        new() { SnapshotPath = path, Open = _ => Task.FromResult<Stream>(new MemoryStream(content)) };
}
