// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

public sealed class SparseFileTests : IDisposable
{
    private const int Block = 4096;
    private const long MiB = 1 << 20;

    private readonly TestDirectory _dir = new();
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Data_regions_of_a_sparse_file_are_reported_in_order()
    {
        string path = _dir["sparse"];
        Tool.Python(
            """
            import os, sys
            with open(sys.argv[1], 'wb') as f:
                f.truncate(3 * 1024 * 1024)
                f.write(b'a' * 4096)
                f.seek(1024 * 1024)
                f.write(b'b' * 8192)
            """,
            path);
        using var handle = _fs.OpenRead(path);

        Assert.Equal(new[] { (0L, (long)Block), (MiB, MiB + (2 * Block)) }, Regions(handle));
        Assert.True(_fs.Status(handle).Blocks * 512 < 3 * MiB);
    }

    [Fact]
    public void File_that_is_all_hole_has_no_data_region()
    {
        Tool.Python("import sys; open(sys.argv[1], 'wb').truncate(1 << 20)", _dir["hole"]);
        using var handle = _fs.OpenRead(_dir["hole"]);
        Assert.Null(_fs.NextDataRegion(handle, 0));
    }

    [Fact]
    public void Restore_by_writing_regions_and_truncating_recreates_holes_and_content()
    {
        string path = _dir["restored"];
        byte[] data = new byte[2 * Block];
        Array.Fill(data, (byte)0x5a);
        using (var handle = _fs.CreateFile(path, Octal.Of("644")))
        {
            RandomAccess.Write(handle, data, MiB);
            _fs.Truncate(handle, 3 * MiB);
        }

        using var reader = _fs.OpenRead(path);
        Assert.Equal(3 * MiB, _fs.Status(reader).Size);
        Assert.Equal(new[] { (MiB, MiB + (2 * Block)) }, Regions(reader));
        byte[] back = new byte[data.Length + 1];
        Assert.Equal(back.Length, RandomAccess.Read(reader, back, MiB - 1));
        Assert.Equal(0, back[0]);
        Assert.Equal(data, back[1..]);
    }

    private List<(long, long)> Regions(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var regions = new List<(long, long)>();
        long offset = 0;
        while (_fs.NextDataRegion(handle, offset) is (long start, long end))
        {
            regions.Add((start, end));
            offset = end;
        }

        return regions;
    }
}
