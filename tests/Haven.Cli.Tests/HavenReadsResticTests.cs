// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>A repository written by restic 0.14 is one haven lists, dumps and restores exactly as restic sees it.</summary>
public sealed class HavenReadsResticTests(GeneratedTreeFixture tree) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Haven_restores_the_tree_restic_backed_up_identical_with_sparse_files_sparse()
    {
        BackUpWithRestic();

        string target = _repository.NewPath("haven-restore");
        _repository.Haven.RunChecked("restore", "latest", "--target", target, "--verify");

        // long/ was never in the snapshot (see BackUpWithRestic), and restic 0.14 stored the
        // non-UTF-8 bytes of links/odd-target as U+FFFD: haven gives back what restic recorded.
        // files/sparse.bin was read by restic, and --sparse checks that haven writes it with holes.
        string restored = InteropRepository.Restored(target, tree.Path);
        FileTree.AssertIdentical(tree.Path, restored, "--sparse", "--ignore", "long", "--ignore", "links/odd-target");
        Assert.Equal("target-\uFFFD-not-utf8", new FileInfo(Path.Combine(restored, "links/odd-target")).LinkTarget);
    }

    [Fact]
    public void Haven_lists_snapshots_and_entries_as_restic_does()
    {
        BackUpWithRestic();

        var havenSnapshots = JsonNode.Parse(_repository.Haven.RunChecked("snapshots", "--json").Stdout);
        var resticSnapshots = JsonNode.Parse(_repository.Restic.RunChecked("snapshots", "--json").Stdout);
        Assert.True(JsonNode.DeepEquals(resticSnapshots, havenSnapshots), $"restic: {resticSnapshots}\nhaven:  {havenSnapshots}");

        var havenLs = _repository.Haven.RunChecked("ls", "latest");
        byte[] resticLs = _repository.Restic.RunChecked("ls", "latest").StdoutBytes;
        // restic prints a "snapshot ... of [...]:" heading on stdout first; haven prints it on stderr.
        byte[] resticEntries = resticLs[(Array.IndexOf(resticLs, (byte)'\n') + 1)..];
        Assert.Equal(resticEntries, havenLs.StdoutBytes);
        Assert.Contains($"{tree.Path}/nested/a/b/c/deep.txt\n", havenLs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Haven_dumps_a_file_byte_for_byte_as_restic_does()
    {
        BackUpWithRestic();

        string file = tree.Path + "/files/big.bin";
        byte[] havenDump = _repository.Haven.RunChecked("dump", "latest", file).StdoutBytes;

        Assert.Equal(File.ReadAllBytes(file), havenDump);
        Assert.Equal(_repository.Restic.RunChecked("dump", "latest", file).StdoutBytes, havenDump);
    }

    /// <summary>
    /// restic init and backup of the generated tree without long/: restic 0.14 cannot read a path
    /// over 4096 bytes (it opens files by full path) and would end with exit code 3.
    /// </summary>
    private void BackUpWithRestic()
    {
        _repository.Restic.RunChecked("init");
        _repository.Restic.RunChecked("backup", "--exclude", tree.Path + "/long", tree.Path);
    }
}
