// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format;

namespace Haven.Backup.Tests.FileSystem;

public sealed class ReadLinkTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Target_that_is_not_utf8_comes_back_as_its_exact_bytes()
    {
        Tool.Python("import os,sys; os.symlink(b'../t\\xe9st\\x80', os.fsencode(sys.argv[1]))", _dir["link"]);
        string target = _fs.ReadLink(_dir["link"]);
        Assert.Equal([0x2e, 0x2e, 0x2f, 0x74, 0xe9, 0x73, 0x74, 0x80], RawName.Encode(target));
    }

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(4000)]
    public void Targets_of_any_length_are_read_whole(int length)
    {
        string target = new('t', length);
        _fs.CreateSymlink(target, _dir["link"]);
        Assert.Equal(target, _fs.ReadLink(_dir["link"]));
        Assert.Equal(length, _fs.LinkStatus(_dir["link"]).Size);
    }

    [Fact]
    public void Symlink_created_with_an_escaped_target_is_read_back_by_readlink_tool()
    {
        string target = RawName.Decode([0x61, 0xff, 0x62]);
        _fs.CreateSymlink(target, _dir["link"]);
        string hex = Tool.Python("import os,sys; print(os.readlink(os.fsencode(sys.argv[1])).hex())", _dir["link"]);
        Assert.Equal("61ff62", hex.Trim());
        Assert.Equal(target, _fs.ReadLink(_dir["link"]));
    }

    [Fact]
    public void Reading_a_regular_file_as_a_link_fails_with_einval()
    {
        File.WriteAllText(_dir["file"], "x");
        Assert.Equal(22, Assert.Throws<FileSystemException>(() => _fs.ReadLink(_dir["file"])).Errno);
    }
}
