// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.S3;

/// <summary>Object Lock through the CLI: retention on what haven uploads, and a forget --prune that explains what the store keeps.</summary>
public sealed class S3ObjectLockTests(CephFixture ceph) : IClassFixture<CephFixture>
{
    [Fact]
    public async Task Forget_prune_leaves_retained_files_says_until_when_and_the_repository_stays_valid()
    {
        var ct = TestContext.Current.CancellationToken;
        using var repository = new S3Repository(ceph.Cluster, "lockcli");
        await ceph.Cluster.CreateBucketAsync(repository.Bucket, objectLock: true, ct);
        string source = repository.NewPath("source");
        Directory.CreateDirectory(source);
        await File.WriteAllBytesAsync(Path.Combine(source, "old.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000), ct);
        // The first snapshot goes up without retention, the second with it.
        repository.Haven.RunChecked("init");
        repository.Haven.RunChecked("backup", source);
        File.Delete(Path.Combine(source, "old.bin"));
        await File.WriteAllBytesAsync(Path.Combine(source, "new.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000), ct);
        repository.Haven.RunChecked("-o", "s3.object-lock-days=1", "backup", source);

        var forget = repository.Haven.Run("-o", "s3.object-lock-days=1", "forget", "--keep-last", "1", "--prune");

        Assert.True(forget.ExitCode == 0, forget.Stderr);
        Assert.True(forget.Stderr.Contains("Warning", StringComparison.Ordinal), forget.Stderr);
        Assert.Matches(@"Warning: the repository's storage keeps 1 old index files and 2 packs under a retention period \(Object Lock\) until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; they could not be deleted yet\.", forget.Stderr);
        Assert.Contains("run prune again after that date", forget.Stderr, StringComparison.Ordinal);
        string kept = Assert.Single(repository.RunResticChecked("list", "snapshots").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        repository.AssertResticCheckPasses();

        // The remaining snapshot is retained: forgetting it is refused by the store and said so.
        var refused = repository.Haven.Run("forget", kept[..8]);
        Assert.True(refused.ExitCode == 0, refused.Stderr);
        Assert.Equal([kept], repository.RunResticChecked("list", "snapshots").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"Warning: snapshot {kept[..8]} was not removed: the repository's storage keeps it under a retention period (Object Lock) until ", refused.Stderr, StringComparison.Ordinal);
        repository.AssertResticCheckPasses();
    }

    [Fact]
    public void Retention_on_a_bucket_without_Object_Lock_fails_with_a_clear_message()
    {
        using var repository = new S3Repository(ceph.Cluster, "nolockcli");
        repository.Haven.RunChecked("init");

        var backup = repository.Haven.Run("-o", "s3.object-lock-days=3", "backup", repository.Haven.HomeDirectory);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains($"bucket '{repository.Bucket}' at http://127.0.0.1:", backup.Stderr, StringComparison.Ordinal);
        Assert.Contains("does not support Object Lock", backup.Stderr, StringComparison.Ordinal);
    }
}
