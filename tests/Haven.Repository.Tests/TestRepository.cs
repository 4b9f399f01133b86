// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Crypto;
using Haven.Storage;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Repository.Tests;

/// <summary>Repositories for engine tests: local, in a test's own folder, with a cheap key derivation.</summary>
internal static class TestRepository
{
    /// <summary>restic's default polynomial for a fresh repository would be random; any irreducible one will do.</summary>
    public const ulong Polynomial = 0x3DA3358B4DC173;

    public const string Password = Restic.DefaultPassword;

    public static RepositoryOptions Options(TimeProvider? time = null, string? hostname = null, int pid = 0) => new()
    {
        Identity = new ProcessIdentity(hostname ?? Environment.MachineName, "tester", 0, 0, pid == 0 ? Environment.ProcessId : pid),
        Time = time ?? TimeProvider.System,
        KeyParameters = new ScryptParameters(1024, 8, 1),
    };

    public static string PathIn(TempDirectory temp) => temp.Combine("repo");

    public static Task<Repository> InitAsync(TempDirectory temp, RepositoryOptions? options = null) =>
        InitAsync(new LocalBackend(PathIn(temp)), options);

    public static Task<Repository> InitAsync(IBackend backend, RepositoryOptions? options = null) =>
        Repository.InitAsync(backend, Password, options ?? Options(), Polynomial, TestContext.Current.CancellationToken);

    public static Task<Repository> OpenAsync(TempDirectory temp, RepositoryOptions? options = null, string password = Password) =>
        Repository.OpenAsync(new LocalBackend(PathIn(temp)), password, options ?? Options(), TestContext.Current.CancellationToken);

    /// <summary>Runs restic check --read-data on the repository and fails the test with its output unless it passes.</summary>
    public static void AssertResticCheckPasses(TempDirectory temp)
    {
        var result = new Restic(PathIn(temp)).Run("check", "--read-data");
        Assert.True(result.ExitCode == 0, $"restic check --read-data failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("no errors were found", result.Stdout, StringComparison.Ordinal);
    }
}
