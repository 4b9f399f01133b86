// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>
/// haven and restic cut files into the same chunks with the repository's polynomial and find each
/// other's blobs in the index, so backing up data the other tool already stored adds no data blob.
/// Tree blobs may differ: haven records real access times.
/// </summary>
public sealed class CrossToolDeduplicationTests(GeneratedTreeFixture tree) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Haven_backup_after_restic_adds_no_data_blob()
    {
        _repository.Restic.RunChecked("init");
        _repository.Restic.RunChecked("backup", "--exclude", tree.Path + "/long", tree.Path);
        var before = _repository.DataBlobs();

        // --force: haven reads and chunks every file instead of trusting restic's snapshot as parent.
        var backup = _repository.Haven.RunChecked("backup", "--force", "--json", "--exclude", tree.Path + "/long", tree.Path);

        var summary = InteropRepository.Summary(backup);
        Assert.Equal(0, (int)summary["data_blobs"]!);
        Assert.Equal(0, (int)summary["files_unmodified"]!);
        Assert.Equal(before, _repository.DataBlobs());
        Assert.True(before.Count > 10, $"restic stored only {before.Count} data blobs");
        _repository.AssertResticCheckPasses();
    }

    [Fact]
    public void Restic_backup_after_haven_adds_no_data_blob()
    {
        _repository.Haven.RunChecked("init");
        _repository.Haven.RunChecked("backup", "--exclude", tree.Path + "/long", tree.Path);
        var before = _repository.DataBlobs();

        var backup = _repository.Restic.RunChecked("backup", "--force", "--json", "--exclude", tree.Path + "/long", tree.Path);

        var summary = InteropRepository.Summary(backup);
        Assert.Equal(0, (int)summary["data_blobs"]!);
        Assert.Equal(0, (int)summary["files_unmodified"]!);
        Assert.Equal(before, _repository.DataBlobs());
        Assert.True(before.Count > 10, $"haven stored only {before.Count} data blobs");
        _repository.AssertResticCheckPasses();
    }
}
