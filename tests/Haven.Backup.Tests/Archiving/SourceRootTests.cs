// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;
using Haven.Format.Trees;
using Haven.Testing;

namespace Haven.Backup.Tests.Archiving;

/// <summary>Backing up a path from another place that holds the same content (a filesystem snapshot), recording the original path.</summary>
public sealed class SourceRootTests : IDisposable
{
    private readonly TempDirectory _temp = new("source-roots");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_mapped_target_records_its_own_path_with_the_content_read_from_the_mapped_folder()
    {
        string live = _temp.CreateSubdirectory("live");
        File.WriteAllText(Path.Combine(live, "a.txt"), "live content");
        string frozen = _temp.CreateSubdirectory("frozen");
        Directory.CreateDirectory(Path.Combine(frozen, "sub"));
        File.WriteAllText(Path.Combine(frozen, "a.txt"), "frozen content");
        File.WriteAllText(Path.Combine(frozen, "sub", "b.txt"), "b");
        await using var repository = await EngineRepository.InitAsync(_temp);

        var backup = await repository.BackupAsync(new BackupOptions { Paths = [live], SourceRoots = new Dictionary<string, string> { [live] = frozen } });

        Assert.Equal([live], backup.Snapshot.Paths);
        string target = _temp.Combine("restored");
        await repository.RestoreAsync(backup, target);
        Assert.Equal("frozen content", File.ReadAllText(target + live + "/a.txt"));
        Assert.Equal("b", File.ReadAllText(target + live + "/sub/b.txt"));
        Assert.False(Directory.Exists(target + frozen));
        repository.AssertResticCheckPasses();
    }

    [Fact]
    public async Task A_folder_below_a_target_can_have_a_source_of_its_own()
    {
        string live = _temp.CreateSubdirectory("live");
        Directory.CreateDirectory(Path.Combine(live, "nested"));
        File.WriteAllText(Path.Combine(live, "nested", "n.txt"), "live nested");
        string nestedSource = _temp.CreateSubdirectory("nested-source");
        File.WriteAllText(Path.Combine(nestedSource, "n.txt"), "frozen nested");
        await using var repository = await EngineRepository.InitAsync(_temp);

        var backup = await repository.BackupAsync(new BackupOptions { Paths = [live], SourceRoots = new Dictionary<string, string> { [live + "/nested"] = nestedSource } });

        string target = _temp.Combine("restored");
        await repository.RestoreAsync(backup, target);
        Assert.Equal("frozen nested", File.ReadAllText(target + live + "/nested/n.txt"));
    }

    [Fact]
    public async Task A_device_alias_records_the_original_device_for_files_read_from_another()
    {
        string live = _temp.CreateSubdirectory("live");
        File.WriteAllText(Path.Combine(live, "a.txt"), "a");
        ulong device = new Haven.Backup.FileSystem.LocalFileSystem().LinkStatus(live).Device;
        await using var repository = await EngineRepository.InitAsync(_temp);
        var first = await repository.BackupAsync(new BackupOptions { Paths = [live] });

        var second = await repository.BackupAsync(new BackupOptions { Paths = [live], DeviceAliases = new Dictionary<ulong, ulong> { [device] = device + 1 } });

        Assert.Equal(device, (await FileNodeAsync(repository, first, live + "/a.txt")).DeviceId);
        Assert.Equal(device + 1, (await FileNodeAsync(repository, second, live + "/a.txt")).DeviceId);
        Assert.Equal(1, second.Status.FilesUnmodified);
    }

    private static async Task<Node> FileNodeAsync(EngineRepository repository, BackupResult backup, string path)
    {
        var tree = backup.Snapshot.Tree;
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        Node? node = null;
        foreach (string part in parts)
        {
            var level = Tree.Parse(await repository.Repository.LoadBlobAsync(new Format.BlobHandle(node?.Subtree ?? tree, Format.BlobType.Tree), TestContext.Current.CancellationToken));
            node = level.Find(part) ?? throw new InvalidOperationException($"{part} of {path} is not in the snapshot");
        }

        return node!;
    }
}
