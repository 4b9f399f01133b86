// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Repository;
using Haven.Repository.Locking;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>Exit codes of failures a script must tell apart, each with its message.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public void Wrong_password_exits_12_with_one_clear_line()
    {
        using var repo = new CliRepository();
        var cli = new HavenCli(repo.RepositoryPath, "not-the-password", repo.Home);

        var result = cli.Run("snapshots");

        Assert.Equal(12, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Fatal: wrong password", line, StringComparison.Ordinal);
        Assert.Contains(repo.RepositoryPath, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_password_with_json_writes_an_exit_error_object_to_stderr()
    {
        using var repo = new CliRepository();
        var cli = new HavenCli(repo.RepositoryPath, "not-the-password", repo.Home);

        var result = cli.Run("snapshots", "--json");

        Assert.Equal(12, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        var error = Assert.Single(CliRepository.JsonLines(result.Stderr));
        Assert.Equal("exit_error", error.GetProperty("message_type").GetString());
        Assert.Equal(12, error.GetProperty("code").GetInt32());
        Assert.StartsWith("wrong password", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repository_that_does_not_exist_exits_10_naming_it()
    {
        using var repo = new CliRepository(initialize: false);

        var result = repo.Cli.Run("snapshots");

        Assert.Equal(10, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"Fatal: there is no repository at {repo.RepositoryPath}: check --repo, or create it with 'haven init'", line);
        Assert.False(Directory.Exists(repo.RepositoryPath), "a read command must not create the repository");
    }

    [Fact]
    public async Task A_lock_held_by_another_live_process_makes_backup_exit_11()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "a");
        var ct = TestContext.Current.CancellationToken;
        // Another machine's exclusive lock, fresh: Haven cannot tell whether that process lives, so it must wait it out.
        var options = new RepositoryOptions { Identity = new ProcessIdentity("other-host", "someone", 1000, 1000, 4242) };
        await using var repository = await Haven.Repository.Repository.OpenAsync(new LocalBackend(repo.RepositoryPath), CliRepository.Password, options, ct);
        await using (await RepositoryLock.AcquireAsync(repository, exclusive: true, ct))
        {
            var result = repo.Cli.Run("backup", repo.Source);

            Assert.Equal(11, result.ExitCode);
            Assert.Equal(string.Empty, result.Stdout);
            string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"Fatal: repository {repo.RepositoryPath} is already locked: an exclusive lock ", line, StringComparison.Ordinal);
            Assert.Contains("PID 4242 on other-host", line, StringComparison.Ordinal);
            Assert.Empty(repo.Snapshots());
        }

        repo.Check();
    }

    [Fact]
    public void Unreadable_source_files_are_listed_and_the_snapshot_is_written_with_exit_3()
    {
        using var repo = new CliRepository();
        repo.WriteSource("ok.txt", "readable");
        string secret = repo.WriteSource("secret.txt", "no");
        string secret2 = repo.WriteSource("sub/hidden.txt", "no");
        File.SetUnixFileMode(secret, UnixFileMode.None);
        File.SetUnixFileMode(secret2, UnixFileMode.None);
        // Root reads everything, so the backup runs as nobody, with the repository and home opened up to it.
        ProcessRunner.RunChecked("chmod", ["-R", "a+rwX", repo.RepositoryPath, repo.Home]);
        ProcessRunner.RunChecked("chmod", ["a+rx", repo.Temp.Path]);
        var asNobody = repo.Cli.Options with { };
        string[] args = ["--reuid=65534", "--regid=65534", "--clear-groups", .. HavenCli.Command, "backup", repo.Source];

        var result = ProcessRunner.Run("setpriv", args, asNobody);

        Assert.True(result.ExitCode == 3, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.Contains($"error: open {secret}: Permission denied", errors);
        Assert.Contains($"error: open {secret2}: Permission denied", errors);
        Assert.Contains("2 source entries could not be read and are missing from the snapshot (listed above)", result.Stdout, StringComparison.Ordinal);
        var snapshot = Assert.Single(repo.Snapshots());
        var listing = repo.Cli.RunChecked("ls", snapshot.GetProperty("id").GetString()!, repo.Source).Stdout;
        Assert.Contains(Path.Combine(repo.Source, "ok.txt") + "\n", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("secret.txt", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden.txt", listing, StringComparison.Ordinal);
        repo.Check();
    }

    [Fact]
    public async Task Ctrl_C_during_a_backup_exits_130_and_leaves_a_valid_repository()
    {
        using var repo = new CliRepository(environment: new Dictionary<string, string?> { ["HAVEN_PROGRESS_INTERVAL"] = "0.05" });
        repo.WriteSource("a.txt", "first");
        repo.Backup(repo.Source);
        var ct = TestContext.Current.CancellationToken;
        // An endless stdin keeps the backup busy until the signal comes; exec makes the shell's PID haven's.
        using var backup = ProcessRunner.Start("sh", ["-c", "exec \"$0\" \"$@\" < /dev/urandom", .. HavenCli.Command, "backup", "--stdin", "--stdin-filename", "endless"], repo.Cli.Options);
        await Wait.UntilAsync(() => backup.CurrentStderr.Contains("MiB", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the backup to report progress", ct);

        ProcessRunner.RunChecked("kill", ["-INT", backup.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var result = await backup.WaitForExitAsync(deadline.Token);

        Assert.Equal(130, result.ExitCode);
        Assert.Contains("Fatal: interrupted", result.Stderr, StringComparison.Ordinal);
        var snapshots = repo.Snapshots();
        Assert.Single(snapshots);
        Assert.Equal(JsonValueKind.Array, snapshots[0].GetProperty("paths").ValueKind);
        repo.Restic.RunChecked("unlock");
        repo.Check();
        Assert.Equal("first", repo.Cli.RunChecked("dump", "latest", Path.Combine(repo.Source, "a.txt")).Stdout);
    }
}
