// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Locks;
using Haven.Format.Trees;
using Haven.Repository.Errors;
using Haven.Testing;

namespace Haven.Backup.Tests.Archiving;

/// <summary>The archiver on a real folder: round trip, incremental runs, and sources that fail.</summary>
public sealed class ArchiverTests : IDisposable
{
    private readonly TempDirectory _temp = new("archiver");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_generated_tree_backed_up_and_restored_is_identical_including_sparse_files_and_odd_names()
    {
        string source = _temp.Combine("source");
        FileTree.Generate(source);
        await using var repository = await EngineRepository.InitAsync(_temp);

        var backup = await repository.BackupAsync(source);
        Assert.Empty(backup.Warnings);
        Assert.NotNull(backup.SnapshotId);

        string target = _temp.Combine("target");
        var restore = await repository.RestoreAsync(backup, target, source);

        Assert.Empty(restore.Errors);
        FileTree.AssertIdentical(source, target, "--sparse", "--ignore", ".");
        repository.AssertResticCheckPasses();
    }

    [Fact]
    public async Task Unchanged_files_are_not_read_again_and_a_changed_one_is()
    {
        string source = _temp.CreateSubdirectory("source");
        for (int i = 0; i < 5; i++)
        {
            File.WriteAllBytes(Path.Combine(source, $"file{i}"), RandomBytes(i, 10_000));
        }

        await using var repository = await EngineRepository.InitAsync(_temp);
        var first = await repository.BackupAsync(source);
        Assert.Equal((5, 0, 0, 50_000), (first.Status.FilesNew, first.Status.FilesChanged, first.Status.FilesUnmodified, first.Status.BytesRead));

        var second = await repository.BackupAsync(source);
        Assert.Equal(first.SnapshotId, second.ParentId);
        Assert.Equal((0, 0, 5, 0), (second.Status.FilesNew, second.Status.FilesChanged, second.Status.FilesUnmodified, second.Status.BytesRead));
        Assert.Equal(0, second.Status.DataBlobs);

        File.WriteAllBytes(Path.Combine(source, "file3"), RandomBytes(99, 7_000));
        var third = await repository.BackupAsync(source);
        Assert.Equal((0, 1, 4, 7_000), (third.Status.FilesNew, third.Status.FilesChanged, third.Status.FilesUnmodified, third.Status.BytesRead));
        repository.AssertResticCheckPasses();
    }

    [Fact]
    public async Task Files_are_read_and_packed_while_the_lock_settles_but_no_pack_is_stored_when_an_exclusive_lock_wins()
    {
        const int files = 6;
        const int fileSize = 300_000;
        string source = _temp.CreateSubdirectory("source");
        for (int i = 0; i < files; i++)
        {
            File.WriteAllBytes(Path.Combine(source, $"file{i}"), RandomBytes(i, fileSize));
        }

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var repository = await EngineRepository.InitAsync(_temp, packSize: 64 * 1024, time);
        var archiver = new Archiver(repository.Repository, repository.FileSystem);
        var backup = archiver.RunAsync(new BackupOptions { Paths = [source], CountTotals = false }, TestContext.Current.CancellationToken);

        // The clock stands still, so the lock cannot settle: everything read so far was read while it settled.
        await Wait.UntilAsync(() => archiver.Status.BytesRead == files * fileSize || backup.IsCompleted, TimeSpan.FromSeconds(60), "every file read during the settle delay", TestContext.Current.CancellationToken);
        Assert.False(backup.IsCompleted);
        string data = Path.Combine(repository.Path, "data");
        Assert.Empty(Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories));

        var exclusive = new LockFile { Time = GoTimestamp.FromDateTimeOffset(time.GetLocalNow()), Exclusive = true, Hostname = "elsewhere", Username = "someone", Pid = 4242 };
        var exclusiveId = await repository.Repository.SaveUnpackedAsync(FileType.Lock, exclusive.ToJson(), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<RepositoryLockedException>(() => backup);
        Assert.Empty(Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(repository.Path, "index")));
        Assert.Equal([exclusiveId], await repository.Repository.ListIdsAsync(FileType.Lock, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_missing_path_and_an_unreadable_file_are_warnings_and_the_snapshot_is_still_written()
    {
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "kept.txt"), "kept");
        string missing = _temp.Combine("vanished");
        // Reading /proc/PID/mem at offset 0 fails with EIO, even for root: a file that cannot be read.
        string unreadable = $"/proc/{Environment.ProcessId}/mem";
        await using var repository = await EngineRepository.InitAsync(_temp);

        var backup = await repository.BackupAsync(source, missing, unreadable);

        Assert.NotNull(backup.SnapshotId);
        Assert.Equal(new[] { missing, unreadable }.Order(StringComparer.Ordinal), backup.Warnings.Select(w => w.Path).Order(StringComparer.Ordinal));
        Assert.Contains("No such file or directory", backup.Warnings.Single(w => w.Path == missing).Message, StringComparison.Ordinal);
        Assert.Equal(2, backup.Status.Errors);
        string target = _temp.Combine("target");
        var restore = await repository.RestoreAsync(backup, target);
        Assert.Empty(restore.Errors);
        Assert.Equal("kept", File.ReadAllText(target + source + "/kept.txt"));
        Assert.False(File.Exists(target + unreadable));
        repository.AssertResticCheckPasses();
    }

    [Fact]
    public async Task The_snapshot_records_paths_host_and_a_tree_restic_can_list()
    {
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "a");
        await using var repository = await EngineRepository.InitAsync(_temp);

        var backup = await repository.BackupAsync(source);

        Assert.Equal([source], backup.Snapshot.Paths);
        Assert.Equal(Environment.MachineName, backup.Snapshot.Hostname);
        var listing = new Restic(repository.Path).RunChecked("ls", backup.SnapshotId!.Value.ToString());
        Assert.Contains(source + "/a.txt", listing.Stdout, StringComparison.Ordinal);
        var root = Tree.Parse(await repository.Repository.LoadBlobAsync(new Format.BlobHandle(backup.Snapshot.Tree, Format.BlobType.Tree), TestContext.Current.CancellationToken));
        Assert.Equal("tmp", Assert.Single(root.Nodes).Name);
    }

    [Fact]
    public async Task Folders_left_alone_keep_their_parent_trees_and_a_change_deep_down_gives_the_trees_of_encoding_every_folder()
    {
        string source = _temp.CreateSubdirectory("source");
        foreach (string folder in new[] { "a/b/c", "a/d", "e/f" })
        {
            Directory.CreateDirectory(Path.Combine(source, folder));
            File.WriteAllText(Path.Combine(source, folder, "file.txt"), folder);
        }

        await using var repository = await EngineRepository.InitAsync(_temp);
        var first = await repository.BackupAsync(source);
        var second = await repository.BackupAsync(source);
        Assert.Equal(await SubtreeAsync(repository, first, source), await SubtreeAsync(repository, second, source));

        File.SetUnixFileMode(Path.Combine(source, "a/b/c/file.txt"), UnixFileMode.UserRead);
        File.SetLastWriteTimeUtc(Path.Combine(source, "e/f"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var taken = await repository.BackupAsync(new BackupOptions { Paths = [source], CountTotals = false });
        var encoded = await repository.BackupAsync(new BackupOptions { Paths = [source], CountTotals = false, Parent = second.SnapshotId, ReuseParentTrees = false });

        // Compared below the source: /tmp itself changes as other processes use it.
        Assert.NotEqual(await SubtreeAsync(repository, second, source), await SubtreeAsync(repository, taken, source));
        Assert.Equal(await SubtreeAsync(repository, encoded, source), await SubtreeAsync(repository, taken, source));
        repository.AssertResticCheckPasses();
    }

    /// <summary>The tree ID of the folder at <paramref name="path"/> in the backup's snapshot.</summary>
    private static async Task<Id> SubtreeAsync(EngineRepository repository, BackupResult backup, string path)
    {
        var id = backup.Snapshot.Tree;
        foreach (string name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var tree = Tree.Parse(await repository.Repository.LoadBlobAsync(new Format.BlobHandle(id, Format.BlobType.Tree), TestContext.Current.CancellationToken));
            id = tree.Find(name)?.Subtree ?? throw new InvalidOperationException($"{name} of {path} is not in the snapshot");
        }

        return id;
    }

    internal static byte[] RandomBytes(int seed, int length)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
