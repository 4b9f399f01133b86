// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Tests.FileSystem;

public sealed class LongPathTests : IDisposable
{
    private const int Depth = 24;

    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Tree_deeper_than_path_max_is_built_and_read_with_directory_handles()
    {
        string component = new('d', 250);
        var handles = new List<SafeFileHandle> { _fs.OpenDirectory(_dir.Path) };
        try
        {
            for (int i = 0; i < Depth; i++)
            {
                _fs.CreateDirectoryAt(handles[^1], component, Octal.Of("755"));
                handles.Add(_fs.OpenDirectoryAt(handles[^1], component));
            }

            SafeFileHandle deepest = handles[^1];
            using (var file = _fs.CreateFileAt(deepest, "leaf", Octal.Of("644")))
            {
                RandomAccess.Write(file, "deep"u8, 0);
            }

            _fs.CreateSymlinkAt("leaf", deepest, "link");
            _fs.SetTimesAt(deepest, "link", 1, 2, 3, 4);
            _fs.SetOwnerAt(deepest, "leaf", 1234, 5678);
            _fs.SetPermissionsAt(deepest, "leaf", Octal.Of("4600"));

            FileStatus leaf = _fs.LinkStatusAt(deepest, "leaf");
            Assert.Equal((4L, 1234U, 5678U, Octal.Of("104600")), (leaf.Size, leaf.Uid, leaf.Gid, leaf.Mode));
            Assert.Equal((3L, 4), (_fs.LinkStatusAt(deepest, "link").ModifySeconds, _fs.LinkStatusAt(deepest, "link").ModifyNanoseconds));
            Assert.Equal("leaf", _fs.ReadLinkAt(deepest, "link"));
            Assert.Equal(["leaf", "link"], _fs.ReadDirectory(deepest).Order(StringComparer.Ordinal));
            using (var reader = _fs.OpenReadAt(deepest, "leaf"))
            {
                byte[] buffer = new byte[4];
                RandomAccess.Read(reader, buffer, 0);
                Assert.Equal("deep"u8.ToArray(), buffer);
            }

            // The whole path is longer than PATH_MAX: the kernel refuses it, and the error says so.
            string fullPath = _dir.Path + string.Concat(Enumerable.Repeat("/" + component, Depth)) + "/leaf";
            Assert.True(fullPath.Length > 4096);
            Assert.Equal(36, Assert.Throws<FileSystemException>(() => _fs.LinkStatus(fullPath)).Errno);

            _fs.RemoveAt(deepest, "link");
            _fs.RemoveAt(deepest, "leaf");
            _fs.RemoveAt(handles[^2], component);
            Assert.Empty(_fs.ReadDirectory(handles[^2]));
        }
        finally
        {
            handles.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public void Path_longer_than_the_stack_buffer_is_encoded_exactly()
    {
        string name = new('n', 255);
        string path = _dir.Path + "/" + name;
        File.WriteAllText(path, "x");
        Assert.Equal(1, _fs.LinkStatus(path).Size);
        Assert.Contains(name, _fs.ReadDirectory(_dir.Path));
    }
}
