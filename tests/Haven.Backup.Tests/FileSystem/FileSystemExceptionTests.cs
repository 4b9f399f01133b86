// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

public sealed class FileSystemExceptionTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_file_names_the_operation_the_path_and_the_errno_text()
    {
        string path = _dir["missing"];
        var error = Assert.Throws<FileSystemException>(() => _fs.LinkStatus(path));
        Assert.Equal($"lstat {path}: No such file or directory", error.Message);
        Assert.Equal(2, error.Errno);
        Assert.Equal("lstat", error.Operation);
        Assert.Equal(path, error.Path);
        Assert.True(error.IsNotFound);
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public void A_file_used_as_a_directory_is_not_found()
    {
        File.WriteAllText(_dir["file"], "x");
        var error = Assert.Throws<FileSystemException>(() => _fs.OpenRead(_dir["file"] + "/child"));
        Assert.Equal(20, error.Errno);
        Assert.True(error.IsNotFound);
    }

    [Fact]
    public void Opening_a_symlink_for_reading_is_refused_rather_than_followed()
    {
        File.WriteAllText(_dir["file"], "x");
        _fs.CreateSymlink("file", _dir["link"]);
        var error = Assert.Throws<FileSystemException>(() => _fs.OpenRead(_dir["link"]));
        Assert.Equal(40, error.Errno);
        Assert.False(error.IsNotFound);
    }

    [Fact]
    public void Existing_directory_is_reported_as_eexist()
    {
        _fs.CreateDirectory(_dir["d"], Octal.Of("755"));
        var error = Assert.Throws<FileSystemException>(() => _fs.CreateDirectory(_dir["d"], Octal.Of("755")));
        Assert.Equal(17, error.Errno);
        Assert.True(error.IsAlreadyExists);
        Assert.False(error.IsNotFound);
    }
}
