// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Format;
using Haven.Storage;

namespace Haven.Storage.Tests.Conformance;

/// <summary>
/// What every backend must do, whatever it stores on. Each backend's test class derives from this
/// and supplies a fresh, empty backend per test.
/// </summary>
public abstract class BackendConformanceTests : IAsyncLifetime
{
    private IBackend? _backend;

    protected IBackend Backend => _backend ?? throw new InvalidOperationException("not initialised");

    protected abstract Task<IBackend> CreateBackendAsync();

    public async ValueTask InitializeAsync()
    {
        _backend = await CreateBackendAsync();
        await _backend.CreateAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private static (FileHandle Handle, byte[] Content) NewFile(FileType type, int size)
    {
        byte[] content = RandomNumberGenerator.GetBytes(size);
        return (FileHandle.For(type, Id.Hash(content)), content);
    }

    [Fact]
    public async Task Saved_file_reads_back_whole_and_by_range()
    {
        var ct = TestContext.Current.CancellationToken;
        var (handle, content) = NewFile(FileType.Pack, 100_000);
        await Backend.SaveAsync(handle, content, ct);

        Assert.Equal(content, await Backend.LoadAsync(handle, 0, 0, ct));
        Assert.Equal(content.AsSpan(1234, 5000).ToArray(), await Backend.LoadAsync(handle, 1234, 5000, ct));
        Assert.Equal(content.AsSpan(99_000).ToArray(), await Backend.LoadAsync(handle, 99_000, 0, ct));
        Assert.Equal(100_000, await Backend.GetSizeAsync(handle, ct));
    }

    [Fact]
    public async Task Pack_assembled_in_the_backends_spool_file_or_a_temporary_one_saves_under_its_name()
    {
        var ct = TestContext.Current.CancellationToken;
        var (handle, content) = NewFile(FileType.Pack, 3 << 20);
        using var file = Backend.CreateSpoolFile() ?? File.OpenHandle(Path.Combine(Path.GetTempPath(), $"haven-test-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        RandomAccess.Write(file, content, 0);

        await Backend.SaveFileAsync(handle, file, content.Length, ct);
        await Backend.SaveFileAsync(handle, file, content.Length, ct);

        Assert.Equal(content, await Backend.LoadAsync(handle, 0, 0, ct));
        var listed = new List<StoredFile>();
        await foreach (var stored in Backend.ListAsync(FileType.Pack, ct))
        {
            listed.Add(stored);
        }

        Assert.Equal([new StoredFile(handle.Name, content.Length)], listed);
    }

    [Fact]
    public async Task Listing_names_each_saved_file_of_that_type_with_its_size()
    {
        var ct = TestContext.Current.CancellationToken;
        var packs = Enumerable.Range(0, 5).Select(i => NewFile(FileType.Pack, 10 + i)).ToList();
        var snapshot = NewFile(FileType.Snapshot, 7);
        foreach (var (handle, content) in packs.Append(snapshot))
        {
            await Backend.SaveAsync(handle, content, ct);
        }

        var listed = new List<StoredFile>();
        await foreach (var file in Backend.ListAsync(FileType.Pack, ct))
        {
            listed.Add(file);
        }

        Assert.Equal(packs.Select(p => (p.Handle.Name, (long)p.Content.Length)).Order(), listed.Select(f => (f.Name, f.Size)).Order());
    }

    [Fact]
    public async Task Missing_file_is_a_not_found_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var handle = FileHandle.For(FileType.Index, Id.Hash([1, 2, 3]));
        var load = await Assert.ThrowsAnyAsync<Exception>(() => Backend.LoadAsync(handle, 0, 0, ct));
        Assert.True(Backend.IsNotFound(load));
        Assert.True(Backend.IsPermanentError(load));
        var size = await Assert.ThrowsAnyAsync<Exception>(() => Backend.GetSizeAsync(handle, ct));
        Assert.True(Backend.IsNotFound(size));
        var remove = await Assert.ThrowsAnyAsync<Exception>(() => Backend.RemoveAsync(handle, ct));
        Assert.True(Backend.IsNotFound(remove));
    }

    [Fact]
    public async Task Removed_file_is_gone_from_reads_and_listings()
    {
        var ct = TestContext.Current.CancellationToken;
        var (handle, content) = NewFile(FileType.Lock, 64);
        await Backend.SaveAsync(handle, content, ct);
        await Backend.RemoveAsync(handle, ct);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Backend.LoadAsync(handle, 0, 0, ct));
        Assert.True(Backend.IsNotFound(error));
        await foreach (var file in Backend.ListAsync(FileType.Lock, ct))
        {
            Assert.Fail($"listed {file.Name} after it was removed");
        }
    }

    [Fact]
    public async Task Reading_past_the_end_fails_instead_of_returning_short_data()
    {
        var ct = TestContext.Current.CancellationToken;
        var (handle, content) = NewFile(FileType.Pack, 1000);
        await Backend.SaveAsync(handle, content, ct);

        await Assert.ThrowsAnyAsync<Exception>(() => Backend.LoadAsync(handle, 900, 200, ct));
    }

    [Fact]
    public async Task Config_is_saved_and_listed_under_its_fixed_name()
    {
        var ct = TestContext.Current.CancellationToken;
        await Backend.SaveAsync(FileHandle.Config, new byte[] { 1, 2, 3 }, ct);

        Assert.Equal(new byte[] { 1, 2, 3 }, await Backend.LoadAsync(FileHandle.Config, 0, 0, ct));
        var listed = new List<StoredFile>();
        await foreach (var file in Backend.ListAsync(FileType.Config, ct))
        {
            listed.Add(file);
        }

        Assert.Equal([new StoredFile("config", 3)], listed);
    }

    [Fact]
    public async Task Concurrent_saves_of_many_files_all_land()
    {
        var ct = TestContext.Current.CancellationToken;
        var files = Enumerable.Range(0, 40).Select(i => NewFile(FileType.Pack, 1000 + i)).ToList();
        await Parallel.ForEachAsync(files, ct, async (f, token) => await Backend.SaveAsync(f.Handle, f.Content, token));

        foreach (var (handle, content) in files)
        {
            Assert.Equal(content, await Backend.LoadAsync(handle, 0, 0, ct));
        }
    }
}
