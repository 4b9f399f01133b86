// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

public sealed class LinkStatusTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Regular_file_matches_stat_including_mtime_nanoseconds()
    {
        string path = _dir["file"];
        File.WriteAllBytes(path, new byte[5000]);
        Tool.Run("touch", "-h", "-d", "2021-03-04 05:06:07.123456789", path);
        FileStatus status = _fs.LinkStatus(path);
        Assert.True(status.IsRegularFile);
        Assert.Equal(5000, status.Size);
        Assert.Equal(123456789, status.ModifyNanoseconds);
        StatAssert.MatchesStatTool(status, path);
    }

    [Fact]
    public void Directory_matches_stat()
    {
        string path = _dir["sub"];
        Directory.CreateDirectory(path);
        FileStatus status = _fs.LinkStatus(path);
        Assert.True(status.IsDirectory);
        Assert.False(status.IsRegularFile);
        StatAssert.MatchesStatTool(status, path);
    }

    [Fact]
    public void Symlink_is_described_itself_even_when_dangling()
    {
        string path = _dir["dangling"];
        Tool.Run("ln", "-s", "does-not-exist", path);
        Tool.Run("touch", "-h", "-d", "2021-03-04 05:06:07.123456789", path);
        FileStatus status = _fs.LinkStatus(path);
        Assert.True(status.IsSymlink);
        Assert.Equal("does-not-exist".Length, status.Size);
        StatAssert.MatchesStatTool(status, path);
    }

    [Fact]
    public void Fifo_matches_stat()
    {
        string path = _dir["fifo"];
        Tool.Run("mkfifo", "-m", "0640", path);
        FileStatus status = _fs.LinkStatus(path);
        Assert.True(status.IsFifo);
        StatAssert.MatchesStatTool(status, path);
    }

    [Theory]
    [InlineData("c", 1, 3)]
    [InlineData("b", 7, 300)]
    [InlineData("c", 4000, 1048000)]
    public void Device_node_reports_major_and_minor(string kind, uint major, uint minor)
    {
        string path = _dir["dev"];
        Tool.Run("mknod", path, kind, major.ToString(System.Globalization.CultureInfo.InvariantCulture), minor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        FileStatus status = _fs.LinkStatus(path);
        Assert.Equal(kind == "c", status.IsCharDevice);
        Assert.Equal(kind == "b", status.IsBlockDevice);
        Assert.Equal(major, DeviceNumber.Major(status.RDevice));
        Assert.Equal(minor, DeviceNumber.Minor(status.RDevice));
        StatAssert.MatchesStatTool(status, path);
    }

    [Fact]
    public void Unix_socket_matches_stat()
    {
        string path = _dir["sock"];
        Tool.Python("import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path);
        FileStatus status = _fs.LinkStatus(path);
        Assert.True(status.IsSocket);
        StatAssert.MatchesStatTool(status, path);
    }

    [Fact]
    public void Stat_fallback_layout_agrees_with_statx_for_every_kind()
    {
        File.WriteAllText(_dir["file"], "x");
        Directory.CreateDirectory(_dir["dir"]);
        Tool.Run("ln", "-s", "file", _dir["link"]);
        Tool.Run("mkfifo", _dir["fifo"]);
        Tool.Run("mknod", _dir["dev"], "b", "259", "70000");
        foreach (string name in new[] { "file", "dir", "link", "fifo", "dev" })
        {
            FileStatus viaStat = StatusReader.ReadWithStat(Libc.CurrentDirectory, _dir[name]);
            Assert.Equal(_fs.LinkStatus(_dir[name]), viaStat);
        }
    }

    [Fact]
    public void Status_of_an_open_handle_equals_the_status_of_its_path()
    {
        string path = _dir["file"];
        File.WriteAllBytes(path, new byte[123]);
        using var handle = _fs.OpenRead(path);
        Assert.Equal(_fs.LinkStatus(path), _fs.Status(handle));
    }
}
