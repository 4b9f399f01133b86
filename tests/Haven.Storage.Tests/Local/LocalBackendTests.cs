// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Storage.Local;
using Haven.Storage.Tests.Conformance;

namespace Haven.Storage.Tests.Local;

public sealed class LocalBackendTests : BackendConformanceTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "haven-tests", "local-" + Guid.NewGuid().ToString("N"));

    protected override Task<IBackend> CreateBackendAsync() => Task.FromResult<IBackend>(new LocalBackend(_root));

    [Fact]
    public void Create_lays_out_the_folders_restic_expects()
    {
        foreach (string folder in new[] { "keys", "locks", "snapshots", "index", "data/00", "data/7f", "data/ff" })
        {
            Assert.True(Directory.Exists(Path.Combine(_root, folder)), folder);
        }
    }

    [Fact]
    public async Task Packs_go_below_a_folder_named_by_their_first_two_hex_digits()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = [9, 9, 9];
        var id = Id.Hash(content);
        await Backend.SaveAsync(FileHandle.For(FileType.Pack, id), content, ct);

        string path = Path.Combine(_root, "data", id.ToString()[..2], id.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(path, ct));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Mapped_range_holds_the_stored_bytes_at_any_offset_and_length()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = new byte[(3 << 20) + 1234];
        new Random(7).NextBytes(content);
        var pack = FileHandle.For(FileType.Pack, Id.Hash(content));
        await Backend.SaveAsync(pack, content, ct);
        int page = Environment.SystemPageSize;
        var random = new Random(2026);
        // Page edges either side of the start and the end, then random ranges.
        var ranges = new List<(int Offset, int Length)> { (0, 1), (0, content.Length), (page - 1, 2), (page, page), (page + 1, page - 2), (content.Length - 1, 1), (content.Length - page - 1, page + 1) };
        for (int i = 0; i < 200; i++)
        {
            int offset = random.Next(content.Length);
            ranges.Add((offset, 1 + random.Next(content.Length - offset)));
        }

        foreach (var (offset, length) in ranges)
        {
            using var mapped = Backend.TryMap(pack, offset, length);
            Assert.NotNull(mapped);
            Assert.Equal(length, mapped.Length);
            Assert.True(mapped.Span.SequenceEqual(content.AsSpan(offset, length)), $"{length} bytes at {offset}");
        }
    }

    [Fact]
    public async Task Mapping_past_the_end_or_a_missing_file_fails_as_a_read_does()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = new byte[5000];
        var pack = FileHandle.For(FileType.Pack, Id.Hash(content));
        await Backend.SaveAsync(pack, content, ct);

        var past = Assert.Throws<StorageException>(() => Backend.TryMap(pack, 4000, 1001));
        Assert.Contains("5000 bytes, shorter than the 1001 bytes at offset 4000", past.Message, StringComparison.Ordinal);
        var missing = Record.Exception(() => Backend.TryMap(FileHandle.For(FileType.Pack, Id.Hash([1])), 0, 1));
        Assert.True(missing is not null && Backend.IsNotFound(missing), $"not a not-found error: {missing}");
        // A mapping outlives the file's name: prune removing a pack cannot pull it from under a restore.
        using var mapped = Backend.TryMap(pack, 0, 5000);
        await Backend.RemoveAsync(pack, ct);
        Assert.True(mapped!.Span.SequenceEqual(content));
    }

    [Fact]
    public async Task Pack_in_a_spool_file_is_stored_by_naming_that_file_not_by_copying_it()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = new byte[1 << 20];
        Random.Shared.NextBytes(content);
        var id = Id.Hash(content);
        using var spool = Backend.CreateSpoolFile();
        Assert.NotNull(spool);
        RandomAccess.Write(spool, content, 0);

        await Backend.SaveFileAsync(FileHandle.For(FileType.Pack, id), spool, content.Length, ct);

        string path = Path.Combine(_root, "data", id.ToString()[..2], id.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(path, ct));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));

        // Written through the spool's descriptor after the save, and seen under the pack's name: one file.
        RandomAccess.Write(spool, new byte[] { 1, 2, 3 }, 0);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await File.ReadAllBytesAsync(path, ct))[..3]);
        Assert.Equal([path], AllFiles());
    }

    [Fact]
    public void Spool_file_has_no_name_so_a_crash_or_an_abandoned_pack_leaves_nothing()
    {
        using (var spool = Backend.CreateSpoolFile())
        {
            Assert.NotNull(spool);
            RandomAccess.Write(spool, new byte[1 << 20], 0);
            Assert.Empty(AllFiles());
        }

        Assert.Empty(AllFiles());
    }

    [Fact]
    public async Task Spool_file_longer_than_the_pack_is_copied_up_to_its_length()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = new byte[100_000];
        Random.Shared.NextBytes(content);
        var handle = FileHandle.For(FileType.Pack, Id.Hash(content.AsSpan(0, 60_000)));
        using var spool = Backend.CreateSpoolFile();
        Assert.NotNull(spool);
        RandomAccess.Write(spool, content, 0);

        await Backend.SaveFileAsync(handle, spool, 60_000, ct);

        Assert.Equal(content[..60_000], await Backend.LoadAsync(handle, 0, 0, ct));
    }

    [Fact]
    public async Task Spool_file_saved_under_a_name_taken_by_other_content_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var handle = FileHandle.For(FileType.Pack, Id.Hash([7]));
        await Backend.SaveAsync(handle, new byte[] { 7 }, ct);
        using var spool = Backend.CreateSpoolFile();
        Assert.NotNull(spool);
        RandomAccess.Write(spool, new byte[] { 7, 7 }, 0);

        var error = await Assert.ThrowsAsync<StorageException>(() => Backend.SaveFileAsync(handle, spool, 2, ct));

        Assert.Contains("already exists with other content", error.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 7 }, await Backend.LoadAsync(handle, 0, 0, ct));
    }

    private string[] AllFiles() => Directory.GetFiles(_root, "*", SearchOption.AllDirectories);

    [Fact]
    public async Task Temporary_files_left_by_a_crash_are_not_listed()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = Id.Hash([1]);
        await File.WriteAllBytesAsync(Path.Combine(_root, "snapshots", id + "-tmp-123"), [1], ct);

        await foreach (var file in Backend.ListAsync(FileType.Snapshot, ct))
        {
            Assert.Fail($"listed {file.Name}");
        }
    }

    [Fact]
    public async Task Creating_where_a_repository_exists_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await Backend.SaveAsync(FileHandle.Config, new byte[] { 1 }, ct);
        await Assert.ThrowsAsync<StorageException>(() => new LocalBackend(_root).CreateAsync(ct));
    }
}
