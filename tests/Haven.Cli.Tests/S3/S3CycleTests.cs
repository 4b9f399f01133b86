// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.S3;

/// <summary>The whole cycle on an S3 repository on Ceph, through the CLI, and real restic 0.14 on the same repository both ways.</summary>
public sealed class S3CycleTests(CephFixture ceph, GeneratedTreeFixture tree) : IClassFixture<CephFixture>, IClassFixture<GeneratedTreeFixture>
{
    [Fact]
    public void Init_backup_restore_and_check_work_on_S3_and_fill_the_local_cache()
    {
        using var repository = new S3Repository(ceph.Cluster, "cycle");
        var init = repository.Haven.RunChecked("init");
        Assert.Contains($"at {repository.Url}", init.Stdout, StringComparison.Ordinal);
        repository.Haven.RunChecked("backup", tree.Path);

        string target = repository.NewPath("restore");
        repository.Haven.RunChecked("restore", "latest", "--target", target);
        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--sparse");
        var check = repository.Haven.RunChecked("check", "--read-data");
        Assert.Contains("no errors were found", check.Stdout, StringComparison.Ordinal);

        string cache = Assert.Single(Directory.GetDirectories(repository.CacheRoot));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(cache, "index")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(cache, "snapshots")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(cache, "data"), "*", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(repository.CacheRoot, "CACHEDIR.TAG")));
    }

    [Fact]
    public void Restic_checks_and_restores_what_haven_backed_up_to_S3()
    {
        using var repository = new S3Repository(ceph.Cluster, "tores");
        repository.Haven.RunChecked("init");
        repository.Haven.RunChecked("backup", tree.Path);

        repository.AssertResticCheckPasses();
        string target = repository.NewPath("restic-restore");
        repository.RunResticChecked("restore", "latest", "--target", target, "--exclude", tree.Path + "/long");
        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--ignore", "long", "--ignore", "links/odd-target");
    }

    [Fact]
    public void Haven_restores_and_checks_what_restic_backed_up_to_S3_without_a_cache_when_asked()
    {
        using var repository = new S3Repository(ceph.Cluster, "fromres");
        repository.RunResticChecked("init");
        repository.RunResticChecked("backup", tree.Path, "--exclude", tree.Path + "/long");

        string target = repository.NewPath("haven-restore");
        repository.Haven.RunChecked("--no-cache", "restore", "latest", "--target", target);
        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--ignore", "long", "--ignore", "links/odd-target");
        Assert.Contains("no errors were found", repository.Haven.RunChecked("--no-cache", "check", "--read-data").Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(repository.CacheRoot), "--no-cache wrote a cache");
    }

    [Theory]
    [InlineData("s3.connections=0", "-o s3.connections=0: give a whole number from 1 to 128")]
    [InlineData("s3.colour=blue", "-o s3.colour: unknown backend option; the options are retry.attempts, retry.max-time, rest.ca, s3.connections")]
    [InlineData("novalue", "-o novalue: a backend option is key=value")]
    public void A_bad_backend_option_is_a_usage_error(string option, string message)
    {
        using var repository = new S3Repository(ceph.Cluster, "usage");

        var result = repository.Haven.Run("-o", option, "snapshots");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_secret_fails_at_once_naming_the_location_but_not_the_secret()
    {
        using var repository = new S3Repository(ceph.Cluster, "secret");
        var haven = new HavenCli(repository.Url, S3Repository.Password, repository.Haven.HomeDirectory,
            new Dictionary<string, string?>(CephCluster.AwsEnvironment) { ["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-xyz" });

        var result = haven.Run("snapshots");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(repository.Url, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("403", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Retrying", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret-xyz", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_come_from_the_shared_credentials_file_under_AWS_PROFILE()
    {
        using var repository = new S3Repository(ceph.Cluster, "profile");
        string home = repository.Haven.HomeDirectory;
        string aws = Directory.CreateDirectory(Path.Combine(home, ".aws")).FullName;
        File.WriteAllText(Path.Combine(aws, "credentials"),
            $"[default]\naws_access_key_id = NOBODY\naws_secret_access_key = wrong-default-secret\n\n[haven-test]\naws_access_key_id = {CephCluster.AccessKey}\naws_secret_access_key = {CephCluster.SecretKey}\n");
        var environment = new Dictionary<string, string?>(CephCluster.AwsEnvironment)
        {
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = null,
            ["AWS_CONFIG_FILE"] = null,
            // Never ask an instance metadata service (an address off this machine) should the profile not be found.
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        var withDefault = new HavenCli(repository.Url, S3Repository.Password, home, environment);
        var haven = new HavenCli(repository.Url, S3Repository.Password, home, new Dictionary<string, string?>(environment) { ["AWS_PROFILE"] = "haven-test" });

        var refused = withDefault.Run("init");
        Assert.Equal(ExitCodes.Fatal, refused.ExitCode);
        Assert.DoesNotContain("wrong-default-secret", refused.Stdout + refused.Stderr, StringComparison.Ordinal);

        haven.RunChecked("init");
        haven.RunChecked("backup", tree.Path);
        Assert.Contains("no errors were found", haven.RunChecked("check").Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(CephCluster.SecretKey, haven.RunChecked("snapshots").Stdout, StringComparison.Ordinal);
    }
}
