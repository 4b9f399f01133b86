// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Backup.FileSystem;
using Haven.Format;

namespace Haven.Backup.Tests.FileSystem;

public sealed class DirectoryListingTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Names_that_are_not_utf8_or_hold_a_newline_are_listed_and_usable()
    {
        // Python writes the files with bytes paths and prints each inode, so the names never pass .NET.
        string inodes = Tool.Python(
            """
            import os, sys
            d = os.fsencode(sys.argv[1])
            for name, data in ((b'bad\xff\xfename', b'one'), (b'line\nbreak', b'two'), (b'\xc3\xa9t\xc3\xa9', b'three')):
                with open(d + b'/' + name, 'wb') as f:
                    f.write(data)
                print(os.lstat(d + b'/' + name).st_ino)
            """,
            _dir.Path);
        string[] expected = [RawName.Decode([0x62, 0x61, 0x64, 0xff, 0xfe, 0x6e, 0x61, 0x6d, 0x65]), "line\nbreak", "été"];

        List<string> names = _fs.ReadDirectory(_dir.Path);

        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        ulong[] expectedInodes = [.. inodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => ulong.Parse(s, CultureInfo.InvariantCulture))];
        string[] contents = ["one", "two", "three"];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expectedInodes[i], _fs.LinkStatus(_dir[expected[i]]).Inode);
            using var handle = _fs.OpenRead(_dir[expected[i]]);
            byte[] buffer = new byte[16];
            int read = RandomAccess.Read(handle, buffer, 0);
            Assert.Equal(contents[i], System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    [Fact]
    public void Empty_directory_lists_nothing_not_even_dot_entries()
    {
        Assert.Empty(_fs.ReadDirectory(_dir.Path));
    }

    [Fact]
    public void Listing_larger_than_one_read_buffer_returns_every_name_once()
    {
        Tool.Python(
            "import os,sys\nfor i in range(1200): open(os.path.join(sys.argv[1], 'entry-%04d-' % i + 'x' * 60), 'w').close()",
            _dir.Path);
        List<string> names = _fs.ReadDirectory(_dir.Path);
        Assert.Equal(1200, names.Count);
        Assert.Equal(1200, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("entry-0777-" + new string('x', 60), names);
    }

    [Fact]
    public void Listing_through_a_handle_twice_gives_the_same_names()
    {
        File.WriteAllText(_dir["a"], "a");
        Directory.CreateDirectory(_dir["b"]);
        using var handle = _fs.OpenDirectory(_dir.Path);
        Assert.Equal(["a", "b"], _fs.ReadDirectory(handle).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b"], _fs.ReadDirectory(handle).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Listing_a_symlink_to_a_directory_is_refused()
    {
        Directory.CreateDirectory(_dir["real"]);
        _fs.CreateSymlink("real", _dir["link"]);
        Assert.Throws<FileSystemException>(() => _fs.ReadDirectory(_dir["link"]));
    }
}
