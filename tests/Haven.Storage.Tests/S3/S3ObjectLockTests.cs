// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Storage.S3;
using Haven.Testing;

namespace Haven.Storage.Tests.S3;

/// <summary>Object Lock retention on Ceph: what Haven uploads carries it (locks excepted), and the store refuses to delete it.</summary>
public sealed class S3ObjectLockTests(CephFixture ceph) : IClassFixture<CephFixture>
{
    [Fact]
    public async Task Uploaded_files_except_locks_carry_the_retention_and_their_delete_is_refused_with_the_date()
    {
        var ct = TestContext.Current.CancellationToken;
        string bucket = CephCluster.NewBucketName("lock");
        await ceph.Cluster.CreateBucketAsync(bucket, objectLock: true, ct);
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(12), TimeSpan.Zero);
        await using var backend = S3BackendTests.Connect(ceph.Cluster.Endpoint, bucket, "repo", new S3Options { ObjectLockDays = 1, Time = new FakeTimeProvider(now) });
        byte[] pack = [1, 2, 3];
        byte[] lockFile = [4];
        var packHandle = FileHandle.For(FileType.Pack, Id.Hash(pack));
        var lockHandle = FileHandle.For(FileType.Lock, Id.Hash(lockFile));
        await backend.SaveAsync(packHandle, pack, ct);
        await backend.SaveAsync(lockHandle, lockFile, ct);

        using var client = ceph.Cluster.CreateClient();
        var packHead = await client.GetObjectMetadataAsync(bucket, $"repo/data/{packHandle.Name[..2]}/{packHandle.Name}", ct);
        Assert.Equal("COMPLIANCE", packHead.ObjectLockMode?.Value);
        Assert.Equal(now.UtcDateTime.AddDays(1), packHead.ObjectLockRetainUntilDate?.ToUniversalTime());
        var lockHead = await client.GetObjectMetadataAsync(bucket, $"repo/locks/{lockHandle.Name}", ct);
        Assert.Null(lockHead.ObjectLockRetainUntilDate);

        var refused = await Assert.ThrowsAsync<RetainedFileException>(() => backend.RemoveAsync(packHandle, ct));
        Assert.True(backend.IsPermanentError(refused));
        Assert.Equal(now.AddDays(1), refused.RetainedUntil);
        Assert.Contains($"under Object Lock retention (COMPLIANCE) until {now.UtcDateTime.AddDays(1):yyyy-MM-dd HH:mm:ss} UTC", refused.Message, StringComparison.Ordinal);
        Assert.Equal(pack, await backend.LoadAsync(packHandle, 0, 0, ct));
        await backend.RemoveAsync(lockHandle, ct);
        Assert.True(backend.IsNotFound(await Assert.ThrowsAnyAsync<Exception>(() => backend.GetSizeAsync(lockHandle, ct))));
    }

    [Fact]
    public async Task Retention_on_a_bucket_without_Object_Lock_fails_saying_so_and_uploads_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        string bucket = CephCluster.NewBucketName("nolock");
        await ceph.Cluster.CreateBucketAsync(bucket, objectLock: false, ct);
        await using var backend = S3BackendTests.Connect(ceph.Cluster.Endpoint, bucket, "repo", new S3Options { ObjectLockDays = 7 });
        byte[] pack = [1, 2, 3];

        var error = await Assert.ThrowsAsync<StorageException>(() => backend.SaveAsync(FileHandle.For(FileType.Pack, Id.Hash(pack)), pack, ct));
        Assert.True(backend.IsPermanentError(error));
        Assert.Contains($"bucket '{bucket}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not support Object Lock", error.Message, StringComparison.Ordinal);
        using var client = ceph.Cluster.CreateClient();
        Assert.Empty((await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket }, ct)).S3Objects ?? []);
    }
}
