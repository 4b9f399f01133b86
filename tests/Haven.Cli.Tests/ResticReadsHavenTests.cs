// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>A repository written by haven is one restic 0.14 checks and restores; haven restores it with nothing lost.</summary>
public sealed class ResticReadsHavenTests(GeneratedTreeFixture tree) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Restic_checks_every_pack_and_restores_the_tree_haven_backed_up()
    {
        BackUpWithHaven();

        _repository.AssertResticCheckPasses();
        string target = _repository.NewPath("restic-restore");
        // restic 0.14 fails on paths over PATH_MAX (it restores by full path), so long/ is left out
        // of its restore; with it excluded, restic must restore everything else without an error.
        _repository.Restic.RunChecked("restore", "latest", "--target", target, "--exclude", tree.Path + "/long");

        // What restic 0.14 itself cannot give back, whoever wrote the repository: the >4096-byte
        // path under long/ (excluded above), and the bytes of a symlink target that are not UTF-8
        // (its Node.LinkTarget is a Go string that it writes back with U+FFFD). It has no sparse
        // restore either, so the comparison is made without --sparse.
        FileTree.AssertIdentical(tree.Path, InteropRepository.Restored(target, tree.Path), "--ignore", "long", "--ignore", "links/odd-target");
    }

    [Fact]
    public void Haven_restores_its_own_backup_identical_and_sparse_and_verifies_it()
    {
        BackUpWithHaven();

        string target = _repository.NewPath("haven-restore");
        var restore = _repository.Haven.RunChecked("restore", "latest", "--target", target, "--verify");

        FileTree.AssertIdentical(tree.Path, InteropRepository.Restored(target, tree.Path), "--sparse");
        Assert.Matches(@"restored \d+ files, .* \d+ verified", restore.Stdout);
        _repository.AssertResticCheckPasses();
    }

    private void BackUpWithHaven()
    {
        _repository.Haven.RunChecked("init");
        _repository.Haven.RunChecked("backup", tree.Path);
    }
}
