// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Format;
using Haven.Storage.Caching;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Storage.Tests.Caching;

/// <summary>The local cache of a remote repository: files are fetched once, checked before use, and dropped when the repository drops them.</summary>
public sealed class CachingBackendTests : IDisposable
{
    private readonly TempDirectory _directory = new("cache");
    private readonly FaultyBackend _remote;

    public CachingBackendTests()
    {
        _remote = new FaultyBackend(new LocalBackend(_directory.Combine("repo")));
        _remote.CreateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private string CacheDirectory => _directory.Combine("cache/haven/0123abcd");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_index_file_is_downloaded_once_even_by_a_later_process()
    {
        var ct = TestContext.Current.CancellationToken;
        var (handle, content) = await StoreRemotelyAsync(FileType.Index, 3000);

        Assert.Equal(content, await new CachingBackend(_remote, CacheDirectory).LoadAsync(handle, 0, 0, ct));
        Assert.Equal(content, await new CachingBackend(_remote, CacheDirectory).LoadAsync(handle, 0, 0, ct));
        Assert.Equal(content.AsSpan(10, 20).ToArray(), await new CachingBackend(_remote, CacheDirectory).LoadAsync(handle, 10, 20, ct));

        Assert.Single(_remote.Log, line => line.StartsWith($"load {handle}", StringComparison.Ordinal));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(CacheDirectory, "index", handle.Name), ct));
    }

    [Fact]
    public async Task Saved_snapshots_are_cached_without_a_download()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = new CachingBackend(_remote, CacheDirectory);
        byte[] content = RandomNumberGenerator.GetBytes(100);
        var handle = FileHandle.For(FileType.Snapshot, Id.Hash(content));
        await cache.SaveAsync(handle, content, ct);

        Assert.Equal(content, await new CachingBackend(_remote, CacheDirectory).LoadAsync(handle, 0, 0, ct));
        Assert.DoesNotContain(_remote.Log, line => line.StartsWith("load", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_damaged_cached_file_is_noticed_dropped_and_fetched_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var (handle, content) = await StoreRemotelyAsync(FileType.Snapshot, 500);
        await new CachingBackend(_remote, CacheDirectory).LoadAsync(handle, 0, 0, ct);
        string cached = Path.Combine(CacheDirectory, "snapshots", handle.Name);
        byte[] damaged = (byte[])content.Clone();
        damaged[17] ^= 0x40;
        await File.WriteAllBytesAsync(cached, damaged, ct);

        Assert.Equal(content, await new CachingBackend(_remote, CacheDirectory).LoadAsync(handle, 0, 0, ct));
        Assert.Equal(2, _remote.Log.Count(line => line.StartsWith($"load {handle}", StringComparison.Ordinal)));
        Assert.Equal(content, await File.ReadAllBytesAsync(cached, ct));
    }

    [Fact]
    public async Task A_listing_drops_cached_files_the_repository_no_longer_has()
    {
        var ct = TestContext.Current.CancellationToken;
        var (kept, _) = await StoreRemotelyAsync(FileType.Index, 100);
        var (gone, _) = await StoreRemotelyAsync(FileType.Index, 200);
        var cache = new CachingBackend(_remote, CacheDirectory);
        await cache.LoadAsync(kept, 0, 0, ct);
        await cache.LoadAsync(gone, 0, 0, ct);
        await _remote.RemoveAsync(gone, ct);

        await foreach (var file in cache.ListAsync(FileType.Index, ct))
        {
            Assert.Equal(kept.Name, file.Name);
        }

        Assert.True(File.Exists(Path.Combine(CacheDirectory, "index", kept.Name)));
        Assert.False(File.Exists(Path.Combine(CacheDirectory, "index", gone.Name)));
    }

    [Fact]
    public async Task A_tree_pack_read_through_the_cache_is_kept_whole_and_later_ranges_come_from_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var (pack, content) = await StoreRemotelyAsync(FileType.Pack, 4000);
        var cache = new CachingBackend(_remote, CacheDirectory);

        Assert.Equal(content.AsSpan(100, 50).ToArray(), await cache.LoadThroughCacheAsync(pack, 100, 50, ct));
        Assert.Equal(content.AsSpan(3000, 1000).ToArray(), await new CachingBackend(_remote, CacheDirectory).LoadAsync(pack, 3000, 1000, ct));

        Assert.Equal([$"load {pack} 0 0"], _remote.Log.Where(line => line.StartsWith("load", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(CacheDirectory, "data", pack.Name[..2], pack.Name)));
        Assert.True(File.Exists(_directory.Combine("cache/haven/CACHEDIR.TAG")));
    }

    private async Task<(FileHandle Handle, byte[] Content)> StoreRemotelyAsync(FileType type, int size)
    {
        byte[] content = RandomNumberGenerator.GetBytes(size);
        var handle = FileHandle.For(type, Id.Hash(content));
        await _remote.SaveAsync(handle, content, TestContext.Current.CancellationToken);
        return (handle, content);
    }
}
