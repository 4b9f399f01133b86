// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Pruning;

/// <summary>haven prune on what restic wrote, and on damaged data.</summary>
public sealed class PruneInteropTests
{
    [Fact]
    public void Haven_prunes_a_repository_restic_wrote_and_restic_then_finds_nothing_to_do()
    {
        using var repository = new PruneRepository(writtenByRestic: true);
        long before = repository.DataBytes();

        var summary = PruneRepository.Summary(repository.Haven.RunChecked("prune", "--max-unused", "0%", "--json"));

        Assert.True(summary.GetProperty("packs_to_delete").GetInt32() + summary.GetProperty("packs_to_repack").GetInt32() >= 2, summary.ToString());
        Assert.Empty(repository.Locate(repository.UnusedBlob));
        Assert.True(repository.DataBytes() < before - (2 * 400 * 1024), $"{before} -> {repository.DataBytes()}");
        repository.AssertResticCheckPasses();
        repository.AssertRemainingRestoreIdentical();
        var restic = repository.Restic.RunChecked("prune", "--dry-run", "-v", "--max-unused", "0%");
        Assert.Contains("total prune:           0 blobs / 0 B", restic.Stdout, StringComparison.Ordinal);
        Assert.Contains("to repack:             0 blobs / 0 B", restic.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_blob_in_a_pack_to_repack_stops_prune_before_anything_is_deleted()
    {
        using var repository = new PruneRepository();
        var (pack, _, offset, length) = Assert.Single(repository.Locate(repository.UsedBlobInPartlyUsedPack));
        string packPath = Path.Combine(repository.RepositoryPath, "data", pack[..2], pack);
        File.SetUnixFileMode(packPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var stream = new FileStream(packPath, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = offset + (length / 2);
            int value = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(value ^ 0x55));
        }

        var files = repository.Files();

        var prune = repository.Haven.Run("prune", "--max-unused", "0%");

        Assert.Equal(1, prune.ExitCode);
        Assert.Contains($"pack {pack} is damaged", prune.Stderr, StringComparison.Ordinal);
        Assert.Contains("prune stopped before deleting anything", prune.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", prune.Stderr, StringComparison.Ordinal);
        var after = repository.Files();
        Assert.All(files, file => Assert.Equal(file.Value, after.GetValueOrDefault(file.Key)));
    }
}
