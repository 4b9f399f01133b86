// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>Backups share a repository at once; exclusive operations wait their turn, and say why.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new("concurrency");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Two_haven_backups_and_one_restic_backup_at_once_all_succeed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        string repository = _temp.Combine("repo");
        var haven = new HavenCli(repository, "pw", _temp.CreateSubdirectory("home"));
        var restic = new Restic(repository, "pw");
        haven.RunChecked("init");
        string[] sources = [Source("one", 1), Source("two", 2), Source("three", 3)];

        var runs = new[]
        {
            haven.RunAsync(["backup", "--host", "one", sources[0]], null, cancellationToken),
            haven.RunAsync(["backup", "--host", "two", sources[1]], null, cancellationToken),
            restic.RunAsync(["backup", "--host", "three", sources[2]], cancellationToken),
        };
        var results = await Task.WhenAll(runs);

        for (int i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].ExitCode == 0, $"backup {i} exited {results[i].ExitCode}: {results[i].Stderr}");
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(repository, "locks")));
        await restic.RunCheckedAsync(["check", "--read-data"], cancellationToken);
        var snapshots = JsonNode.Parse(restic.RunChecked("snapshots", "--json").Stdout)!.AsArray();
        Assert.Equal(["one", "three", "two"], snapshots.Select(s => s!["hostname"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var (host, source) in new[] { ("one", sources[0]), ("two", sources[1]), ("three", sources[2]) })
        {
            string target = _temp.CreateSubdirectory("restored-" + host);
            haven.RunChecked("restore", "latest", "--host", host, "--target", target);
            FileTree.AssertIdentical(source, Path.Combine(target, source.TrimStart('/')));
        }
    }

    [Fact]
    public async Task An_exclusive_operation_is_refused_while_a_backup_holds_its_lock_and_succeeds_after()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        string repository = _temp.Combine("repo");
        var haven = new HavenCli(repository, "pw", _temp.CreateSubdirectory("home"), new Dictionary<string, string?> { ["HAVEN_NEW_PASSWORD"] = "new-pw" });
        var restic = new Restic(repository, "pw");
        haven.RunChecked("init");
        string locks = Path.Combine(repository, "locks");
        byte[] firstPart = RandomNumberGenerator.GetBytes(1 << 20);
        byte[] secondPart = RandomNumberGenerator.GetBytes(1 << 20);

        using (var backup = haven.StartWithOpenStdin("backup", "--stdin", "--stdin-filename", "stream.bin"))
        {
            await backup.WriteStdinAsync(firstPart, cancellationToken);
            await Wait.UntilAsync(() => Directory.GetFiles(locks).Length == 1, s_deadline, "the backup's lock file", cancellationToken);

            var passwd = await haven.RunAsync(["key", "passwd"], null, cancellationToken);
            var prune = await restic.RunAsync(["prune"], cancellationToken);

            Assert.Equal(11, passwd.ExitCode);
            Assert.Matches("^Fatal: repository .* is already locked: a lock [0-9a-f]{8} is held by PID [0-9]+ on .*haven unlock", passwd.Stderr);
            Assert.Single(passwd.Stderr.Trim().Split('\n'));
            Assert.NotEqual(0, prune.ExitCode);
            Assert.Contains("repository is already locked", prune.Stderr, StringComparison.Ordinal);
            Assert.False(backup.HasExited);

            await backup.WriteStdinAsync(secondPart, cancellationToken);
            await backup.CloseStdinAsync(cancellationToken);
            var finished = await backup.WaitForExitAsync(cancellationToken);
            Assert.True(finished.ExitCode == 0, finished.Stderr);
        }

        Assert.Empty(Directory.GetFiles(locks));
        haven.RunChecked("key", "passwd");
        var withNewPassword = new Restic(repository, "new-pw");
        withNewPassword.RunChecked("prune");
        withNewPassword.RunChecked("check", "--read-data");
        var dumped = await new HavenCli(repository, "new-pw", haven.HomeDirectory).RunCheckedAsync(["dump", "latest", "stream.bin"], null, cancellationToken);
        Assert.Equal([.. firstPart, .. secondPart], dumped.StdoutBytes);
    }

    /// <summary>A few MB of files with their own content, so the three backups share no data.</summary>
    private string Source(string name, int seed)
    {
        string root = _temp.CreateSubdirectory("src-" + name);
        var random = new Random(seed);
        for (int i = 0; i < 6; i++)
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, $"dir{i}")).FullName;
            byte[] content = new byte[400_000 + (i * 50_000)];
            random.NextBytes(content);
            File.WriteAllBytes(Path.Combine(folder, $"file{i}.bin"), content);
            File.WriteAllText(Path.Combine(folder, "note.txt"), $"{name} {i}\n");
        }

        return root;
    }
}
