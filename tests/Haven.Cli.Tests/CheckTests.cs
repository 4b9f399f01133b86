// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Repository;
using Haven.Repository.Locking;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>'haven check' on healthy repositories, its options and its JSON.</summary>
public sealed class CheckTests(GeneratedTreeFixture original) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("check");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_clean_repository_of_every_kind_of_file_passes_check_with_read_data()
    {
        var haven = new HavenCli(_temp.Combine("repo"), "pw", _temp.CreateSubdirectory("home"));
        haven.RunChecked("init");
        haven.RunChecked("backup", original.Path);
        haven.RunChecked("backup", original.Path);

        var check = haven.RunChecked("check", "--read-data");
        Assert.Equal("no errors were found\n", check.Stdout);
        Assert.Matches(@"checked 2 snapshots, \d+ trees, (\d+) packs, read \1 packs", check.Stderr);
        Assert.Empty(Directory.GetFiles(_temp.Combine("repo/locks")));
    }

    [Fact]
    public void Json_summary_lists_the_problems_with_their_pack_blob_and_affected_paths()
    {
        using var scenario = new BitRotScenario();
        var (pack, blobs) = scenario.DataPack();
        File.Delete(scenario.PackPath(pack));

        var check = scenario.Haven.Run("check", "--json");
        Assert.Equal(1, check.ExitCode);
        using var summary = JsonDocument.Parse(check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("summary", summary.RootElement.GetProperty("message_type").GetString());
        var problem = Assert.Single(summary.RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal("MissingPack", problem.GetProperty("kind").GetString());
        Assert.Equal(pack, problem.GetProperty("pack").GetString());
        Assert.Equal(blobs.Select(b => b.Id).Order(), problem.GetProperty("blobs").EnumerateArray().Select(b => b.GetProperty("id").GetString()).Order());
        var expected = blobs.Where(b => b.Type == "data").Select(b => scenario.Affected(scenario.FileByBlob[b.Id])).Order();
        Assert.Equal(expected, problem.GetProperty("affected").EnumerateArray().Select(a => a.GetString()!).Order());
    }

    [Fact]
    public void Read_data_subsets_read_each_pack_in_exactly_one_of_the_buckets()
    {
        using var scenario = new BitRotScenario();
        int packs = scenario.PackContents().Count;
        int read = 0;
        foreach (string bucket in new[] { "1/3", "2/3", "3/3" })
        {
            using var summary = JsonDocument.Parse(scenario.Haven.RunChecked("check", "--json", "--read-data-subset", bucket).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
            read += summary.RootElement.GetProperty("packs_read").GetInt32();
        }

        Assert.Equal(packs, read);
        using var all = JsonDocument.Parse(scenario.Haven.RunChecked("check", "--json", "--read-data-subset", "100%").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(packs, all.RootElement.GetProperty("packs_read").GetInt32());
    }

    [Fact]
    public async Task Check_needs_an_exclusive_lock_and_exits_11_while_another_process_holds_any_lock()
    {
        using var scenario = new BitRotScenario();
        var identity = new ProcessIdentity("other-host", "other", 0, 0, 4242);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var repository = await Repository.Repository.OpenAsync(new LocalBackend(scenario.Repository), "pw", new RepositoryOptions { Identity = identity }, cancellationToken))
        {
            await using var shared = await RepositoryLock.AcquireAsync(repository, exclusive: false, cancellationToken);
            var locked = await scenario.Haven.RunAsync(["check"], null, cancellationToken);
            Assert.Equal(11, locked.ExitCode);
            Assert.Contains("PID 4242 on other-host", locked.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("no errors were found", scenario.Haven.RunChecked("check").Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("0%")]
    [InlineData("half")]
    public void An_invalid_read_data_subset_is_a_usage_error(string subset)
    {
        var haven = new HavenCli(_temp.Combine("repo"), "pw", _temp.CreateSubdirectory("home"));
        var check = haven.Run("check", "--read-data-subset", subset);
        Assert.Equal(2, check.ExitCode);
        Assert.Contains("--read-data-subset", check.Stderr, StringComparison.Ordinal);
    }
}
