// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

public sealed class MetadataChangeTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SetTimes_keeps_nanoseconds_on_a_file()
    {
        string path = _dir["file"];
        File.WriteAllText(path, "x");
        _fs.SetTimes(path, 1_000_000_001, 999_999_999, 1_614_834_367, 123_456_789);

        FileStatus status = _fs.LinkStatus(path);
        Assert.Equal((1_000_000_001L, 999_999_999), (status.AccessSeconds, status.AccessNanoseconds));
        Assert.Equal((1_614_834_367L, 123_456_789), (status.ModifySeconds, status.ModifyNanoseconds));
        Assert.Equal("1614834367.123456789", Tool.Stat("%.9Y", path));
    }

    [Fact]
    public void SetTimes_changes_a_symlink_and_not_its_target()
    {
        File.WriteAllText(_dir["file"], "x");
        _fs.SetTimes(_dir["file"], 5, 0, 5, 0);
        _fs.CreateSymlink("file", _dir["link"]);
        _fs.SetTimes(_dir["link"], 1_500_000_000, 1, 1_600_000_000, 2);

        Assert.Equal("1600000000.000000002", Tool.Stat("%.9Y", _dir["link"]));
        Assert.Equal(5, _fs.LinkStatus(_dir["file"]).ModifySeconds);
    }

    [Fact]
    public void SetOwner_changes_a_file_and_a_symlink_itself()
    {
        File.WriteAllText(_dir["file"], "x");
        _fs.CreateSymlink("file", _dir["link"]);
        _fs.SetOwner(_dir["link"], 1234, 5678);
        Assert.Equal("1234:5678", Tool.Stat("%u:%g", _dir["link"]));
        Assert.Equal("0:0", Tool.Stat("%u:%g", _dir["file"]));

        _fs.SetOwner(_dir["file"], 1234, 5678);
        FileStatus status = _fs.LinkStatus(_dir["file"]);
        Assert.Equal((1234U, 5678U), (status.Uid, status.Gid));
    }

    [Theory]
    [InlineData("4755")]
    [InlineData("2750")]
    [InlineData("1777")]
    [InlineData("7000")]
    [InlineData("0000")]
    public void SetPermissions_sets_setuid_setgid_and_sticky_bits(string mode)
    {
        string path = _dir["file"];
        File.WriteAllText(path, "x");
        _fs.SetPermissions(path, Octal.Of(mode));

        Assert.Equal(Octal.Of(mode), _fs.LinkStatus(path).Permissions);
        Assert.Equal(mode.TrimStart('0').PadLeft(1, '0'), Tool.Stat("%a", path));
    }
}
