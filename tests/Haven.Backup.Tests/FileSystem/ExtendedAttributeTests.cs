// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

public sealed class ExtendedAttributeTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Binary_and_empty_values_round_trip()
    {
        string path = _dir["file"];
        File.WriteAllText(path, "x");
        byte[] binary = [0x00, 0xff, 0x10, 0x00, 0x7f];
        _fs.SetExtendedAttribute(path, "user.binary", binary);
        _fs.SetExtendedAttribute(path, "user.empty", []);

        var attributes = _fs.ReadExtendedAttributes(path).ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);

        Assert.Equal(2, attributes.Count);
        Assert.Equal(binary, attributes["user.binary"]);
        Assert.Empty(attributes["user.empty"]);
        Assert.Contains("user.binary=0x00ff10007f", Tool.Run("getfattr", "-d", "-e", "hex", "--absolute-names", path), StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_set_by_setfattr_are_read_including_a_large_value()
    {
        string path = _dir["dir"];
        Directory.CreateDirectory(path);
        string large = new('v', 3000);
        Tool.Run("setfattr", "-n", "user.large", "-v", large, path);
        Tool.Run("setfattr", "-n", "user.small", "-v", "0x0102", path);

        var attributes = _fs.ReadExtendedAttributes(path).ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);

        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(large), attributes["user.large"]);
        Assert.Equal([1, 2], attributes["user.small"]);
    }

    [Fact]
    public void Symlink_attributes_are_its_own_not_the_targets()
    {
        File.WriteAllText(_dir["file"], "x");
        _fs.SetExtendedAttribute(_dir["file"], "user.on-target", [1]);
        _fs.CreateSymlink("file", _dir["link"]);
        Assert.DoesNotContain(_fs.ReadExtendedAttributes(_dir["link"]), a => a.Name == "user.on-target");
    }

    [Fact]
    public void File_without_attributes_has_an_empty_list()
    {
        File.WriteAllText(_dir["file"], "x");
        Assert.Empty(_fs.ReadExtendedAttributes(_dir["file"]));
    }

    [Fact]
    public void Missing_file_is_an_error_not_an_empty_list()
    {
        Assert.True(Assert.Throws<FileSystemException>(() => _fs.ReadExtendedAttributes(_dir["missing"])).IsNotFound);
    }
}
