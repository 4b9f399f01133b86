// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

public sealed class NodeCreationTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Created_file_is_written_positionally_and_matches_stat()
    {
        string path = _dir["file"];
        using (var handle = _fs.CreateFile(path, Octal.Of("600")))
        {
            RandomAccess.Write(handle, "hello"u8, 0);
            _fs.SyncFile(handle);
        }

        FileStatus status = _fs.LinkStatus(path);
        Assert.True(status.IsRegularFile);
        Assert.Equal(Octal.Of("600"), status.Permissions);
        Assert.Equal(5, status.Size);
        StatAssert.MatchesStatTool(status, path);
        Assert.Equal("hello", File.ReadAllText(path));
    }

    [Fact]
    public void Creating_a_file_where_one_exists_fails_with_eexist()
    {
        File.WriteAllText(_dir["file"], "keep");
        Assert.True(Assert.Throws<FileSystemException>(() => _fs.CreateFile(_dir["file"], Octal.Of("644"))).IsAlreadyExists);
        Assert.Equal("keep", File.ReadAllText(_dir["file"]));
    }

    [Fact]
    public void Creating_a_file_through_a_symlink_is_refused()
    {
        _fs.CreateSymlink("elsewhere", _dir["link"]);
        Assert.Throws<FileSystemException>(() => _fs.CreateFile(_dir["link"], Octal.Of("644")));
        Assert.False(File.Exists(_dir["elsewhere"]));
    }

    [Fact]
    public void Directory_symlink_fifo_and_hard_link_match_stat()
    {
        _fs.CreateDirectory(_dir["dir"], Octal.Of("750"));
        _fs.CreateFifo(_dir["fifo"], Octal.Of("640"));
        _fs.CreateSymlink("dir", _dir["link"]);
        File.WriteAllText(_dir["file"], "x");
        _fs.CreateHardLink(_dir["file"], _dir["hard"]);

        Assert.True(_fs.LinkStatus(_dir["dir"]).IsDirectory);
        Assert.Equal(Octal.Of("750"), _fs.LinkStatus(_dir["dir"]).Permissions);
        Assert.True(_fs.LinkStatus(_dir["link"]).IsSymlink);
        Assert.Equal("dir", _fs.ReadLink(_dir["link"]));
        Assert.True(_fs.LinkStatus(_dir["fifo"]).IsFifo);
        Assert.Equal(Octal.Of("640"), _fs.LinkStatus(_dir["fifo"]).Permissions);
        Assert.Equal(2UL, _fs.LinkStatus(_dir["hard"]).Links);
        Assert.Equal(_fs.LinkStatus(_dir["file"]).Inode, _fs.LinkStatus(_dir["hard"]).Inode);
        foreach (string name in new[] { "dir", "link", "fifo", "hard" })
        {
            StatAssert.MatchesStatTool(_fs.LinkStatus(_dir[name]), _dir[name]);
        }
    }

    [Theory]
    [InlineData("20660", 1, 5)]
    [InlineData("60640", 8, 17)]
    [InlineData("20600", 511, 1048575)]
    [InlineData("140755", 0, 0)]
    public void Device_nodes_and_sockets_are_made_with_type_and_rdev(string mode, uint major, uint minor)
    {
        string path = _dir["node"];
        uint stMode = Octal.Of(mode);
        _fs.CreateDeviceNode(path, stMode, DeviceNumber.Make(major, minor));

        // mknod applies the umask, so a restore sets the exact permissions afterwards.
        Assert.Equal(stMode & 0xF000, _fs.LinkStatus(path).Mode & 0xF000);
        _fs.SetPermissions(path, stMode);
        FileStatus status = _fs.LinkStatus(path);
        Assert.Equal(stMode, status.Mode);
        Assert.Equal(major, DeviceNumber.Major(status.RDevice));
        Assert.Equal(minor, DeviceNumber.Minor(status.RDevice));
        StatAssert.MatchesStatTool(status, path);
    }

    [Fact]
    public void Remove_deletes_files_links_and_empty_directories_and_rename_moves()
    {
        File.WriteAllText(_dir["file"], "x");
        _fs.CreateDirectory(_dir["dir"], Octal.Of("755"));
        _fs.CreateSymlink("dir", _dir["link"]);
        _fs.Rename(_dir["file"], _dir["dir/moved"]);
        Assert.Equal("x", File.ReadAllText(_dir["dir/moved"]));

        Assert.Equal(39, Assert.Throws<FileSystemException>(() => _fs.Remove(_dir["dir"])).Errno);
        _fs.Remove(_dir["link"]);
        _fs.Remove(_dir["dir/moved"]);
        _fs.Remove(_dir["dir"]);
        _fs.SyncDirectory(_dir.Path);

        Assert.Empty(_fs.ReadDirectory(_dir.Path));
    }
}
