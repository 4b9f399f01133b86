// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;

namespace Haven.Cli.Tests;

/// <summary>Damage on disk: 'haven check' names it precisely and 'haven repair' gets every undamaged file back.</summary>
public sealed class BitRotTests : IDisposable
{
    private readonly BitRotScenario _scenario = new();

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void Flipped_bytes_in_a_pack_are_named_by_pack_blob_and_file_and_repair_recovers_every_other_file()
    {
        var (pack, blobs) = _scenario.DataPack();
        var victim = blobs.Where(b => b.Type == "data").OrderBy(b => b.Offset).First();
        BitRotScenario.FlipByte(_scenario.PackPath(pack), victim.Offset + 40);
        string lostFile = _scenario.FileByBlob[victim.Id];

        Assert.Equal(0, _scenario.Haven.Run("check").ExitCode); // the structure is intact: only reading the data finds it
        var check = _scenario.Haven.Run("check", "--read-data");
        Assert.Equal(1, check.ExitCode);
        var errors = check.Stdout.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith($"error: pack {pack}: its content does not match its name", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"error: pack {pack}: data blob {victim.Id} at offset {victim.Offset} does not decrypt", errors[1], StringComparison.Ordinal);
        Assert.Equal(["  affects " + _scenario.Affected(lostFile)], check.Stdout.Split('\n').Where(l => l.StartsWith("  affects ", StringComparison.Ordinal)));
        Assert.Contains("the repository contains 2 errors", check.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, _scenario.Restic.Run("check", "--read-data").ExitCode);

        var salvage = _scenario.Haven.RunChecked("repair", "packs", pack);
        Assert.Contains($"lost data blob {victim.Id}", salvage.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(_scenario.PackPath(pack)));
        var repair = _scenario.Haven.RunChecked("repair", "snapshots", "--forget");
        Assert.Contains($"file \"{_scenario.Source}/{lostFile}\": removed missing content", repair.Stdout, StringComparison.Ordinal);

        AssertRepairedSnapshot();
        _scenario.AssertRestoredExcept(_scenario.RestoreLatest(), [lostFile]);
        Assert.Contains("no errors were found", _scenario.Haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        _scenario.Restic.RunChecked("check", "--read-data");
    }

    [Fact]
    public void A_damaged_tree_is_named_with_its_folder_and_repair_replaces_only_that_folder_by_an_empty_one()
    {
        string folder = _scenario.Source + "/sub/deeper";
        string tree = _scenario.TreeOf(folder);
        var (pack, blob) = _scenario.PackContents().SelectMany(p => p.Value.Select(b => (p.Key, b))).Single(e => e.b.Id == tree && e.b.Type == "tree");
        BitRotScenario.FlipByte(_scenario.PackPath(pack), blob.Offset + 40);

        var check = _scenario.Haven.Run("check", "--read-data");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"error: pack {pack}: tree blob {tree} at offset {blob.Offset} does not decrypt", check.Stdout, StringComparison.Ordinal);
        Assert.Equal([$"  affects {_scenario.SnapshotId[..8]}:{folder}/"], check.Stdout.Split('\n').Where(l => l.StartsWith("  affects ", StringComparison.Ordinal)));

        _scenario.Haven.RunChecked("repair", "packs", pack);
        var repair = _scenario.Haven.RunChecked("repair", "snapshots", "--forget");
        Assert.Contains($"dir \"{folder}\": replaced with an empty directory", repair.Stdout, StringComparison.Ordinal);

        AssertRepairedSnapshot();
        string restored = _scenario.RestoreLatest();
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(restored, "sub", "deeper")));
        foreach (string name in _scenario.FileByBlob.Values.Where(n => !n.StartsWith("sub/deeper/", StringComparison.Ordinal)))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_scenario.Source, name)), File.ReadAllBytes(Path.Combine(restored, name)));
        }

        _scenario.Haven.RunChecked("check", "--read-data");
        _scenario.Restic.RunChecked("check", "--read-data");
    }

    [Fact]
    public void A_deleted_pack_is_named_with_every_file_it_held_and_repair_index_then_snapshots_recovers_the_rest()
    {
        var (pack, blobs) = _scenario.DataPack();
        var lostFiles = blobs.Where(b => b.Type == "data").Select(b => _scenario.FileByBlob[b.Id]).Order().ToList();
        Assert.NotEmpty(lostFiles);
        File.Delete(_scenario.PackPath(pack));

        var check = _scenario.Haven.Run("check");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"error: pack {pack} is in the index but does not exist", check.Stdout, StringComparison.Ordinal);
        var affected = check.Stdout.Split('\n').Where(l => l.StartsWith("  affects ", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(lostFiles.Select(f => "  affects " + _scenario.Affected(f)).Order(), affected);

        var index = _scenario.Haven.RunChecked("repair", "index");
        Assert.Contains("removed 1", index.Stdout, StringComparison.Ordinal);
        var dryRun = _scenario.Haven.RunChecked("repair", "snapshots", "--dry-run");
        Assert.Contains("1 snapshots would be repaired", dryRun.Stdout, StringComparison.Ordinal);
        using (var unchanged = JsonDocument.Parse(_scenario.Haven.RunChecked("snapshots", "--json").Stdout))
        {
            Assert.Single(unchanged.RootElement.EnumerateArray());
        }

        var repair = _scenario.Haven.RunChecked("repair", "snapshots", "--forget");
        foreach (string file in lostFiles)
        {
            Assert.Contains($"file \"{_scenario.Source}/{file}\": removed missing content", repair.Stdout, StringComparison.Ordinal);
        }

        AssertRepairedSnapshot();
        _scenario.AssertRestoredExcept(_scenario.RestoreLatest(), lostFiles);
        _scenario.Haven.RunChecked("check", "--read-data");
        _scenario.Restic.RunChecked("check", "--read-data");
    }

    [Fact]
    public void A_truncated_index_file_is_named_and_repair_index_rebuilds_it_from_the_packs()
    {
        string indexFolder = Path.Combine(_scenario.Repository, "index");
        string indexFile = Assert.Single(Directory.GetFiles(indexFolder));
        File.SetUnixFileMode(indexFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var stream = new FileStream(indexFile, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length / 2);
        }

        var check = _scenario.Haven.Run("check");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"error: index {Path.GetFileName(indexFile)} cannot be loaded", check.Stdout, StringComparison.Ordinal);

        _scenario.Haven.RunChecked("repair", "index");
        Assert.False(File.Exists(indexFile));
        Assert.Contains("no errors were found", _scenario.Haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        Assert.Contains("no snapshots needed repair", _scenario.Haven.RunChecked("repair", "snapshots").Stdout, StringComparison.Ordinal);
        _scenario.AssertRestoredExcept(_scenario.RestoreLatest(), []);
        _scenario.Restic.RunChecked("check", "--read-data");
    }

    private void AssertRepairedSnapshot()
    {
        using var snapshots = JsonDocument.Parse(_scenario.Haven.RunChecked("snapshots", "--json").Stdout);
        var repaired = Assert.Single(snapshots.RootElement.EnumerateArray());
        Assert.Equal(["repaired"], repaired.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(_scenario.SnapshotId, repaired.GetProperty("original").GetString());
    }
}
