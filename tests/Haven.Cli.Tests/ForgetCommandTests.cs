// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>haven forget's command line: usage errors, unlimited counts, text output and dry runs.</summary>
public sealed class ForgetCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("forget-cli");
    private readonly string _repository;
    private readonly HavenCli _haven;

    public ForgetCommandTests()
    {
        _repository = _temp.Combine("repo");
        _haven = new HavenCli(_repository, "pw", _temp.CreateSubdirectory("home"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Prune_after_forget_removes_the_data_only_the_forgotten_snapshots_used()
    {
        _haven.RunChecked("init");
        string source = _temp.CreateSubdirectory("source");
        string file = Path.Combine(source, "f");
        File.WriteAllBytes(file, System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_000));
        _haven.RunChecked("backup", "--quiet", source);
        File.WriteAllBytes(file, System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_000));
        _haven.RunChecked("backup", "--quiet", source);
        var restic = new Restic(_repository, "pw");
        int dataBlobsBefore = restic.RunChecked("list", "blobs").Stdout.Split('\n').Count(l => l.StartsWith("data ", StringComparison.Ordinal));

        var result = _haven.Run("forget", "--keep-last", "1", "--prune");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, SnapshotCount());
        Assert.Contains("to delete:", result.Stdout, StringComparison.Ordinal);
        int dataBlobsAfter = restic.RunChecked("list", "blobs").Stdout.Split('\n').Count(l => l.StartsWith("data ", StringComparison.Ordinal));
        Assert.Equal(2, dataBlobsBefore);
        Assert.Equal(1, dataBlobsAfter);
        restic.RunChecked("check", "--read-data");
        string target = _temp.CreateSubdirectory("restored");
        _haven.RunChecked("restore", "latest", "--target", target);
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(target, file.TrimStart('/'))));
    }

    [Theory]
    [InlineData(new[] { "--keep-last", "-2" }, "--keep-last -2 is not allowed")]
    [InlineData(new[] { "--keep-daily", "many" }, "--keep-daily many: give a whole number")]
    [InlineData(new[] { "--keep-within", "3w" }, "invalid unit 'w' after number 3")]
    [InlineData(new[] { "--keep-within-daily", "-1d" }, "durations cannot be negative")]
    [InlineData(new[] { "--keep-last", "1", "--group-by", "user" }, "unknown grouping option 'user'")]
    [InlineData(new[] { "--keep-last", "1", "0123" }, "give snapshot IDs or a --keep-* policy, not both")]
    public void Bad_options_exit_2_before_the_repository_is_opened(string[] args, string message)
    {
        // The repository does not exist: exit 2 rather than 10 shows that nothing was touched.
        var result = _haven.Run(["forget", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_repository));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("unlimited")]
    public async Task Unlimited_daily_keeps_the_newest_snapshot_of_every_day(string count)
    {
        await CreateRepositoryAsync();
        var result = _haven.RunChecked("forget", "--keep-daily", count, "--json");

        var group = Assert.Single(JsonNode.Parse(result.Stdout)!.AsArray())!;
        Assert.Equal(["2024-03-05T10:00:00Z", "2024-01-02T09:00:00Z", "2024-01-01T20:00:00Z"], group["keep"]!.AsArray().Select(s => (string)s!["time"]!));
        Assert.Equal("{\"daily\":-1}", group["reasons"]![0]!["counters"]!.ToJsonString());
        Assert.Equal(3, SnapshotCount());
    }

    [Fact]
    public async Task Dry_run_prints_restics_tables_and_removes_nothing()
    {
        await CreateRepositoryAsync();
        var result = _haven.RunChecked("forget", "--dry-run", "--keep-daily", "1", "--keep-within", "2d");

        string[] lines = result.Stdout.Split('\n');
        Assert.Equal("Applying Policy: keep 1 daily snapshots and all snapshots within 2d of the newest", lines[0]);
        Assert.Equal("snapshots for (host [h1], paths [" + _temp.Combine("source") + "]):", lines[1]);
        Assert.Equal("keep 1 snapshots:", lines[2]);
        Assert.Matches(@"^ID +Time +Host +Tags +Reasons +Paths$", lines[3]);
        Assert.Matches(@"^[0-9a-f]{8}  2024-03-05 10:00:00  h1 +within 2d +/", lines[5]);
        Assert.Matches(@"^ +daily snapshot$", lines[6]);
        Assert.Contains("remove 3 snapshots:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Would have removed the following snapshots:", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, SnapshotCount());
    }

    [Fact]
    public async Task Without_a_policy_nothing_is_removed()
    {
        await CreateRepositoryAsync();
        var result = _haven.RunChecked("forget");

        Assert.Equal("no policy was specified, no snapshots will be removed\n", result.Stdout);
        Assert.Equal(4, SnapshotCount());
    }

    [Fact]
    public async Task A_repository_locked_by_a_running_process_exits_11_and_forgets_nothing()
    {
        await CreateRepositoryAsync();
        await LockFiles.WriteAsync(_repository, "pw", LockFiles.ThisHost, Environment.ProcessId, DateTimeOffset.Now, exclusive: false, TestContext.Current.CancellationToken);

        var result = _haven.Run("forget", "--keep-last", "1");

        Assert.Equal(11, result.ExitCode);
        Assert.Contains("is already locked", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(4, SnapshotCount());
    }

    /// <summary>Four snapshots of host h1: 2024-01-01 08:00 and 20:00, 2024-01-02 09:00 and 2024-03-05 10:00 (UTC).</summary>
    private async Task CreateRepositoryAsync()
    {
        _haven.RunChecked("init");
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "f"), "x");
        _haven.RunChecked("backup", "--quiet", "--time", "2024-01-01 08:00:00", "--host", "h1", source);
        await SnapshotHistory.WriteAtAsync(_repository, "pw", ["2024-01-01T20:00:00Z", "2024-01-02T09:00:00Z", "2024-03-05T10:00:00Z"], TestContext.Current.CancellationToken);
    }

    private int SnapshotCount() => Directory.GetFiles(Path.Combine(_repository, "snapshots")).Length;
}
