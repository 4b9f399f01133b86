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
}
