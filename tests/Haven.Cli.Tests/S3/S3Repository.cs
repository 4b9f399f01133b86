// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.S3;

/// <summary>
/// One repository in its own bucket on the test run's Ceph gateway, with the haven CLI and real
/// restic 0.14 both bound to it (s3:http://127.0.0.1:PORT/BUCKET/repo) and to the S3 test user.
/// </summary>
public sealed class S3Repository : IDisposable
{
    public const string Password = Restic.DefaultPassword;

    private readonly TempDirectory _temp = new("s3");

    public S3Repository(CephCluster cluster, string purpose, Uri? endpoint = null)
    {
        Bucket = CephCluster.NewBucketName(purpose);
        Url = $"s3:{(endpoint ?? cluster.Endpoint).GetLeftPart(UriPartial.Authority)}/{Bucket}/repo";
        Haven = new HavenCli(Url, Password, _temp.CreateSubdirectory("home"), CephCluster.AwsEnvironment);
        Restic = new Restic(Url, Password);
        ResticOptions = Restic.Options.WithEnvironment(CephCluster.AwsEnvironment);
    }

    public string Bucket { get; }

    public string Url { get; }

    public HavenCli Haven { get; }

    /// <summary>restic for this repository; run it through <see cref="RunRestic"/>, which adds the S3 credentials.</summary>
    public Restic Restic { get; }

    public ProcessOptions ResticOptions { get; }

    /// <summary>The folder where haven keeps this user's cache of remote repositories.</summary>
    public string CacheRoot => Path.Combine(Haven.HomeDirectory, "cache", "haven");

    public ProcessResult RunRestic(params string[] args) => ProcessRunner.Run(Restic.ProgramPath, Restic.Arguments(args), ResticOptions);

    public ProcessResult RunResticChecked(params string[] args) => ProcessRunner.RunChecked(Restic.ProgramPath, Restic.Arguments(args), ResticOptions);

    public void AssertResticCheckPasses()
    {
        var result = RunRestic("check", "--read-data");
        Assert.True(result.ExitCode == 0 && result.Stdout.Contains("no errors were found", StringComparison.Ordinal),
            $"restic check failed (exit code {result.ExitCode}):\n{result.Stdout}{result.Stderr}");
    }

    public string NewPath(string name) => _temp.Combine($"{name}-{Guid.NewGuid():N}");

    public void Dispose() => _temp.Dispose();
}
