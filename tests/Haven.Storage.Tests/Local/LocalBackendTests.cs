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
