// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Tests.Archiving;
using Haven.Testing;

namespace Haven.Backup.Tests.Restoring;

/// <summary>The restorer on a real folder: hard links, and targets that hold symlinks.</summary>
public sealed class RestorerTests : IDisposable
{
    private readonly TempDirectory _temp = new("restorer");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Hard_links_are_restored_as_hard_links_to_one_inode()
    {
        await using var repository = await EngineRepository.InitAsync(_temp);
        string source = _temp.CreateSubdirectory("source");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        File.WriteAllBytes(Path.Combine(source, "one"), ArchiverTests.RandomBytes(1, 3000));
        repository.FileSystem.CreateHardLink(Path.Combine(source, "one"), Path.Combine(source, "sub", "two"));
        repository.FileSystem.CreateHardLink(Path.Combine(source, "one"), Path.Combine(source, "three"));
        File.WriteAllBytes(Path.Combine(source, "alone"), ArchiverTests.RandomBytes(1, 3000));
        var backup = await repository.BackupAsync(source);

        string target = _temp.Combine("target");
        var restore = await repository.RestoreAsync(backup, target, source);

        Assert.Empty(restore.Errors);
        var one = repository.FileSystem.LinkStatus(Path.Combine(target, "one"));
        Assert.Equal(3ul, one.Links);
        Assert.Equal(one.Inode, repository.FileSystem.LinkStatus(Path.Combine(target, "sub", "two")).Inode);
        Assert.Equal(one.Inode, repository.FileSystem.LinkStatus(Path.Combine(target, "three")).Inode);
        var alone = repository.FileSystem.LinkStatus(Path.Combine(target, "alone"));
        Assert.NotEqual(one.Inode, alone.Inode);
        Assert.Equal(1ul, alone.Links);
        FileTree.AssertIdentical(source, target, "--ignore", ".");
    }

    [Fact]
    public async Task A_symlink_in_the_target_where_the_snapshot_has_a_folder_is_replaced_not_followed()
    {
        string source = _temp.CreateSubdirectory("source");
        Directory.CreateDirectory(Path.Combine(source, "dir", "deeper"));
        File.WriteAllText(Path.Combine(source, "dir", "file.txt"), "inside");
        File.WriteAllText(Path.Combine(source, "dir", "deeper", "more.txt"), "more");
        await using var repository = await EngineRepository.InitAsync(_temp);
        var backup = await repository.BackupAsync(source);

        string elsewhere = _temp.CreateSubdirectory("elsewhere");
        string target = _temp.CreateSubdirectory("target");
        File.CreateSymbolicLink(Path.Combine(target, "dir"), elsewhere);
        var restore = await repository.RestoreAsync(backup, target, source);

        Assert.Empty(restore.Errors);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        Assert.True(repository.FileSystem.LinkStatus(Path.Combine(target, "dir")).IsDirectory);
        Assert.Equal("inside", File.ReadAllText(Path.Combine(target, "dir", "file.txt")));
        FileTree.AssertIdentical(source, target, "--ignore", ".");
    }

    [Fact]
    public async Task A_symlink_in_the_target_where_the_snapshot_has_a_file_is_replaced_not_written_through()
    {
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "file.txt"), "restored");
        await using var repository = await EngineRepository.InitAsync(_temp);
        var backup = await repository.BackupAsync(source);

        string victim = _temp.Combine("victim.txt");
        File.WriteAllText(victim, "untouched");
        string target = _temp.CreateSubdirectory("target");
        File.CreateSymbolicLink(Path.Combine(target, "file.txt"), victim);
        var restore = await repository.RestoreAsync(backup, target, source);

        Assert.Empty(restore.Errors);
        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.True(repository.FileSystem.LinkStatus(Path.Combine(target, "file.txt")).IsRegularFile);
        Assert.Equal("restored", File.ReadAllText(Path.Combine(target, "file.txt")));
    }

    [Fact]
    public async Task Files_spanning_packs_sharing_blobs_and_holding_zero_runs_are_restored_exactly()
    {
        string source = _temp.CreateSubdirectory("source");
        byte[] big = ArchiverTests.RandomBytes(1, 6 << 20);
        File.WriteAllBytes(Path.Combine(source, "big"), big);
        File.WriteAllBytes(Path.Combine(source, "copy-of-big"), big);
        byte[] holes = new byte[6 << 20];
        ArchiverTests.RandomBytes(2, 1 << 20).CopyTo(holes, 3 << 20);
        File.WriteAllBytes(Path.Combine(source, "holes"), holes);
        File.WriteAllBytes(Path.Combine(source, "empty"), []);
        Directory.CreateDirectory(Path.Combine(source, "small"));
        for (int i = 0; i < 40; i++)
        {
            File.WriteAllBytes(Path.Combine(source, "small", $"f{i}"), ArchiverTests.RandomBytes(100 + i, 100 + (i * 97)));
        }

        await using var repository = await EngineRepository.InitAsync(_temp, packSize: 1 << 20);
        var backup = await repository.BackupAsync(source);
        int dataPacks = DataPacks(repository).Count;
        Assert.True(dataPacks >= 3, $"the files should be spread over several packs, not {dataPacks}");

        string target = _temp.Combine("target");
        var restore = await repository.RestoreAsync(backup, target, source);

        Assert.Empty(restore.Errors);
        Assert.Equal(44, restore.Status.FilesDone);
        FileTree.AssertIdentical(source, target, "--ignore", ".");
        // The zero runs are holes, not written zeros: 1 MiB of data and at most a block or two around it.
        var holesStatus = repository.FileSystem.LinkStatus(Path.Combine(target, "holes"));
        Assert.True(holesStatus.Blocks * 512 < (2 << 20), $"holes takes {holesStatus.Blocks * 512} bytes on disk");
    }

    [Fact]
    public async Task A_missing_pack_fails_only_the_files_that_need_it_naming_the_pack()
    {
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllBytes(Path.Combine(source, "lost"), ArchiverTests.RandomBytes(1, 3 << 20));
        await using var repository = await EngineRepository.InitAsync(_temp, packSize: 1 << 20);
        await repository.BackupAsync(source);
        var lostPacks = DataPacks(repository);
        byte[] kept = ArchiverTests.RandomBytes(2, 2 << 20);
        File.WriteAllBytes(Path.Combine(source, "kept"), kept);
        var backup = await repository.BackupAsync(source);
        foreach (string pack in lostPacks)
        {
            File.Delete(pack);
        }

        string target = _temp.Combine("target");
        var restore = await repository.RestoreAsync(backup, target, source);

        var error = Assert.Single(restore.Errors);
        Assert.Equal(Path.Combine(Path.GetFullPath(target), "lost"), error.Path);
        Assert.Contains(lostPacks.Select(Path.GetFileName), pack => error.Message.Contains($"pack {pack} cannot be read", StringComparison.Ordinal));
        // Nothing after the first missing blob stays, and nothing wrong is written.
        Assert.Equal(0, new FileInfo(Path.Combine(target, "lost")).Length);
        Assert.Equal(kept, File.ReadAllBytes(Path.Combine(target, "kept")));
    }

    /// <summary>The pack files holding data blobs.</summary>
    private static List<string> DataPacks(EngineRepository repository) =>
        [.. Directory.EnumerateFiles(Path.Combine(repository.Path, "data"), "*", SearchOption.AllDirectories)
            .Where(path => repository.Repository.Index.PackBlobs(Haven.Format.Id.Parse(Path.GetFileName(path))).Any(blob => blob.Handle.Type == Haven.Format.BlobType.Data))];
}
