// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Pruning;

/// <summary>haven prune on a repository whose older snapshots were removed.</summary>
public sealed class PruneTests : IClassFixture<GeneratedTreeFixture>
{
    private readonly GeneratedTreeFixture _tree;

    public PruneTests(GeneratedTreeFixture tree)
    {
        _tree = tree;
    }

    [Fact]
    public void Prune_deletes_unused_packs_repacks_partly_used_ones_and_every_remaining_snapshot_restores_identical()
    {
        using var repository = new PruneRepository(extraTree: _tree.Path);
        long before = repository.DataBytes();
        string partlyUsedPack = Assert.Single(repository.Locate(repository.UnusedBlob)).Pack;

        // The generated tree makes the repository big enough that gen1's unused file is less than
        // the default 5% of it: ask for 1%.
        var prune = repository.Haven.RunChecked("prune", "--max-unused", "1%", "--json");

        var summary = PruneRepository.Summary(prune);
        Assert.False(summary.GetProperty("dry_run").GetBoolean());
        Assert.True(summary.GetProperty("packs_to_delete").GetInt32() >= 1, prune.Stdout);
        Assert.True(summary.GetProperty("packs_to_repack").GetInt32() >= 1, prune.Stdout); // gen1's data pack
        Assert.DoesNotContain(partlyUsedPack, repository.Packs());
        Assert.Empty(repository.Locate(repository.UnusedBlob));
        Assert.Single(repository.Locate(repository.UsedBlobInPartlyUsedPack));
        Assert.True(repository.DataBytes() <= before - (2 * 400 * 1024), $"{before} -> {repository.DataBytes()}");

        repository.AssertResticCheckPasses();
        repository.AssertRemainingRestoreIdentical();

        // Nothing is left to do, by haven's count and by restic's.
        var again = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--dry-run", "--json"));
        Assert.Equal(0, again.GetProperty("prune_blobs").GetInt64());
        Assert.Equal(0, again.GetProperty("packs_to_repack").GetInt32());
        Assert.Equal(0, again.GetProperty("unused_blobs").GetInt64());
        var restic = repository.Restic.RunChecked("prune", "--dry-run", "-v");
        Assert.Contains("total prune:           0 blobs / 0 B", restic.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dry_run_changes_nothing_and_reports_what_the_real_run_then_does()
    {
        using var repository = new PruneRepository();
        var files = repository.Files();
        var packs = repository.Packs();

        var dryText = repository.Haven.RunChecked("prune", "--dry-run");
        var dry = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--dry-run", "--json"));

        Assert.Equal(files, repository.Files());
        Assert.Contains("dry run: nothing was changed", dryText.Stdout, StringComparison.Ordinal);

        // restic 0.14 plans the same prune, to the byte.
        var restic = repository.Restic.RunChecked("prune", "--dry-run", "-v");
        foreach (string label in new[] { "used:", "unused:", "total:", "to repack:", "this removes:", "to delete:", "total prune:", "remaining:", "unused size after prune:" })
        {
            Assert.Equal(Line(restic.Stdout, label), Line(dryText.Stdout, label));
        }

        var real = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--json"));
        foreach (var property in dry.EnumerateObject())
        {
            if (property.Name is not ("dry_run" or "packs_written" or "index_files_written" or "index_files_deleted"))
            {
                Assert.True(property.Value.GetRawText() == real.GetProperty(property.Name).GetRawText(), $"{property.Name}: dry run {property.Value}, real {real.GetProperty(property.Name)}");
            }
        }

        var after = repository.Packs();
        int gone = packs.Count(p => !after.Contains(p));
        Assert.Equal(dry.GetProperty("packs_to_delete").GetInt32() + dry.GetProperty("packs_to_repack").GetInt32() + dry.GetProperty("packs_unreferenced").GetInt32(), gone);
        Assert.Equal(real.GetProperty("packs_written").GetInt32(), after.Count(p => !packs.Contains(p)));
        repository.AssertResticCheckPasses();
    }

    [Fact]
    public void Max_unused_zero_percent_repacks_every_partly_used_pack()
    {
        using var repository = new PruneRepository();

        var summary = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--max-unused", "0%", "--json"));

        Assert.Equal(summary.GetProperty("packs_partly_used").GetInt32(), summary.GetProperty("packs_to_repack").GetInt32());
        Assert.Equal(summary.GetProperty("packs_used").GetInt32(), summary.GetProperty("packs_to_keep").GetInt32());
        Assert.Equal(0, summary.GetProperty("unused_size_after").GetInt64());
        var after = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--dry-run", "--max-unused", "0%", "--json"));
        Assert.Equal(0, after.GetProperty("unused_blobs").GetInt64());
        Assert.Equal(0, after.GetProperty("packs_partly_used").GetInt32());
        repository.AssertResticCheckPasses();
        repository.AssertRemainingRestoreIdentical();
    }

    [Fact]
    public void Max_unused_unlimited_repacks_no_data_pack_and_only_deletes_wholly_unused_ones()
    {
        using var repository = new PruneRepository();
        var types = repository.PackTypes();
        string partlyUsedPack = Assert.Single(repository.Locate(repository.UnusedBlob)).Pack;

        var summary = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--max-unused", "unlimited", "--json"));

        // Like restic, packs of trees are still repacked: they are small and every command reads them.
        var after = repository.Packs();
        Assert.Contains(partlyUsedPack, after);
        int treePacksGone = types.Count(t => !after.Contains(t.Key) && t.Value.SetEquals(["tree"]));
        int dataPacksGone = types.Count(t => !after.Contains(t.Key) && t.Value.Contains("data"));
        Assert.Equal(1, dataPacksGone); // gen0's pack, wholly unused
        Assert.Equal(summary.GetProperty("packs_to_delete").GetInt32() + summary.GetProperty("packs_to_repack").GetInt32(), treePacksGone + dataPacksGone);
        Assert.Single(repository.Locate(repository.UnusedBlob));
        repository.AssertResticCheckPasses();
        repository.AssertRemainingRestoreIdentical();
    }

    [Fact]
    public void Max_repack_size_limits_how_much_is_repacked()
    {
        using var repository = new PruneRepository();

        var summary = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--max-unused", "0%", "--max-repack-size", "1k", "--json"));

        Assert.Equal(0, summary.GetProperty("packs_to_repack").GetInt32());
        Assert.True(summary.GetProperty("packs_to_delete").GetInt32() >= 1);
        Assert.Single(repository.Locate(repository.UnusedBlob));
        repository.AssertResticCheckPasses();
    }

    [Theory]
    [InlineData("--max-unused", "-1%")]
    [InlineData("--max-unused", "100%")]
    [InlineData("--max-unused", "lots")]
    [InlineData("--max-repack-size", "1x")]
    public void A_malformed_limit_exits_2_naming_the_option(string option, string value)
    {
        using var temp = new TempDirectory("prune-usage");
        var haven = new HavenCli(temp.Combine("repo"), "pw", temp.CreateSubdirectory("home"));

        var prune = haven.Run("prune", option, value);

        Assert.Equal(2, prune.ExitCode);
        Assert.StartsWith($"Fatal: {option}: ", prune.Stderr, StringComparison.Ordinal);
    }

    private static string Line(string output, string label) =>
        output.Split('\n').First(l => l.StartsWith(label, StringComparison.Ordinal)).TrimEnd();
}
