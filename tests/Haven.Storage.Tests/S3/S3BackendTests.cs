// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Format;
using Haven.Storage.S3;
using Haven.Storage.Tests.Conformance;
using Haven.Testing;
using ListObjectsV2Request = Amazon.S3.Model.ListObjectsV2Request;

namespace Haven.Storage.Tests.S3;

/// <summary>The conformance suite and S3's own duties, against a real Ceph radosgw; each test has its own bucket, below a prefix.</summary>
public sealed class S3BackendTests(CephFixture ceph) : BackendConformanceTests, IClassFixture<CephFixture>
{
    private readonly string _bucket = CephCluster.NewBucketName("conf");

    internal static S3Backend Connect(Uri endpoint, string bucket, string prefix, S3Options? options = null) =>
        new(S3Location.Parse($"s3:{endpoint.GetLeftPart(UriPartial.Authority)}/{bucket}/{prefix}"),
            (options ?? new S3Options()) with { Credentials = new S3Credentials(CephCluster.AccessKey, CephCluster.SecretKey) });

    protected override Task<IBackend> CreateBackendAsync() => Task.FromResult<IBackend>(Connect(ceph.Cluster.Endpoint, _bucket, "repo"));

    [Fact]
    public async Task Files_are_laid_out_as_restic_lays_them_out_below_the_prefix()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] pack = [1, 2, 3];
        byte[] snapshot = [4, 5];
        await Backend.SaveAsync(FileHandle.For(FileType.Pack, Id.Hash(pack)), pack, ct);
        await Backend.SaveAsync(FileHandle.For(FileType.Snapshot, Id.Hash(snapshot)), snapshot, ct);
        await Backend.SaveAsync(FileHandle.Config, new byte[] { 9 }, ct);

        using var client = ceph.Cluster.CreateClient();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }, ct);
        string packName = Id.Hash(pack).ToString();
        Assert.Equal(
            new[] { "repo/config", $"repo/data/{packName[..2]}/{packName}", $"repo/snapshots/{Id.Hash(snapshot)}" }.Order(),
            listing.S3Objects.Select(o => o.Key).Order());
    }

    [Fact]
    public async Task Saving_an_existing_name_again_with_the_same_content_succeeds_and_with_other_content_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = RandomNumberGenerator.GetBytes(500);
        var handle = FileHandle.For(FileType.Index, Id.Hash(content));
        await Backend.SaveAsync(handle, content, ct);
        await Backend.SaveAsync(handle, content, ct);

        var error = await Assert.ThrowsAsync<StorageException>(() => Backend.SaveAsync(handle, new byte[10], ct));
        Assert.True(Backend.IsPermanentError(error));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(content, await Backend.LoadAsync(handle, 0, 0, ct));
    }

    [Fact]
    public async Task Large_files_go_up_in_parts_and_read_back_exactly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var backend = Connect(ceph.Cluster.Endpoint, _bucket, "multi", new S3Options { MultipartThreshold = 6 << 20, PartSize = 5 << 20 });
        byte[] content = RandomNumberGenerator.GetBytes((11 << 20) + 123);
        var handle = FileHandle.For(FileType.Pack, Id.Hash(content));
        await backend.SaveAsync(handle, content, ct);
        await backend.SaveAsync(handle, content, ct);

        Assert.Equal(content, await backend.LoadAsync(handle, 0, 0, ct));
        using var client = ceph.Cluster.CreateClient();
        var head = await client.GetObjectMetadataAsync(_bucket, $"multi/data/{handle.Name[..2]}/{handle.Name}", ct);
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_follows_continuation_pages_past_a_thousand_objects()
    {
        var ct = TestContext.Current.CancellationToken;
        var names = Enumerable.Range(0, 1010).Select(i => Id.Hash(BitConverter.GetBytes(i)).ToString()).ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (name, token) =>
            await Backend.SaveAsync(new FileHandle(FileType.Lock, name), new byte[] { 1 }, token));

        var listed = new List<string>();
        await foreach (var file in Backend.ListAsync(FileType.Lock, ct))
        {
            listed.Add(file.Name);
        }

        Assert.Equal(names.Order(), listed.Order());
    }

    [Fact]
    public async Task A_wrong_secret_is_a_permanent_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var backend = new S3Backend(S3Location.Parse($"s3:{ceph.Cluster.Endpoint}{_bucket}/repo"), new S3Options { Credentials = new S3Credentials(CephCluster.AccessKey, "wrong") });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => backend.GetSizeAsync(FileHandle.Config, ct));
        Assert.True(backend.IsPermanentError(error));
        Assert.False(backend.IsNotFound(error));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_a_transient_error()
    {
        var ct = TestContext.Current.CancellationToken;
        int port = LoopbackPort.Free();
        await using var backend = Connect(new Uri($"http://127.0.0.1:{port}"), _bucket, "repo");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => backend.GetSizeAsync(FileHandle.Config, ct));
        Assert.False(backend.IsPermanentError(error));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }
}
