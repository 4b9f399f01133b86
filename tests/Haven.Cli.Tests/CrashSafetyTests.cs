// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Format.Diagnostics;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>
/// A haven backup killed with SIGKILL at any moment leaves a repository that restic 0.14 checks
/// clean, whose earlier snapshots restore identical, and on which the next backup succeeds.
/// </summary>
public sealed class CrashSafetyTests(CrashTreesFixture trees) : IClassFixture<CrashTreesFixture>, IDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Theory]
    [InlineData(StopPoint.LockHeld)]
    [InlineData(StopPoint.PackStored)]
    [InlineData(StopPoint.SnapshotPending)]
    public async Task Killed_backup_leaves_a_repository_restic_checks_and_the_next_backup_completes(string moment)
    {
        _repository.Haven.RunChecked("init");
        _repository.Haven.RunChecked("backup", trees.Small);
        string earlier = Assert.Single(_repository.SnapshotIds());

        int pid = await KillBackupAsync(moment);

        Assert.Equal([earlier], _repository.SnapshotIds());
        Assert.Equal(pid, LockHolders().Single());
        // Packs are assembled in nameless files in the repository and named only when whole:
        // nothing under data/ but packs, however far the dead backup got.
        Assert.All(
            Directory.GetFiles(Path.Combine(_repository.Path, "data"), "*", SearchOption.AllDirectories),
            file => Assert.Matches("^[0-9a-f]{64}$", Path.GetFileName(file)));
        // restic 0.14 check takes an exclusive lock and does not skip stale ones (it refuses while
        // the dead backup's lock is there); --no-lock checks the crashed state exactly as it was left.
        _repository.AssertResticCheckPasses("--no-lock");
        string before = _repository.NewPath("earlier");
        _repository.Haven.RunChecked("restore", earlier[..8], "--target", before);
        FileTree.AssertIdentical(trees.Small, InteropRepository.Restored(before, trees.Small), "--sparse");

        // The dead backup's lock is still there: haven sees that its PID is gone on this host.
        _repository.Haven.RunChecked("backup", trees.Medium);

        Assert.Equal(2, _repository.SnapshotIds().Length);
        // What restic 0.14 needs before its exclusive check: it removes stale locks only when told.
        var unlock = _repository.Restic.RunChecked("unlock");
        Assert.Contains("successfully removed locks", unlock.Stdout, StringComparison.Ordinal);
        _repository.AssertResticCheckPasses();
        string after = _repository.NewPath("after");
        _repository.Restic.RunChecked("restore", "latest", "--target", after, "--exclude", trees.Medium + "/long");
        // As in ResticReadsHavenTests: restic 0.14 cannot restore the >4096-byte path nor the
        // non-UTF-8 bytes of a symlink target, and has no sparse restore.
        FileTree.AssertIdentical(trees.Medium, InteropRepository.Restored(after, trees.Medium), "--ignore", "long", "--ignore", "links/odd-target");
    }

    [Fact]
    public async Task Lock_of_a_killed_backup_is_stale_to_haven_but_restic_needs_unlock()
    {
        _repository.Haven.RunChecked("init");

        int pid = await KillBackupAsync(StopPoint.LockHeld);

        Assert.Equal(pid, LockHolders().Single());
        var check = _repository.Restic.Run("check");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"repository is already locked by PID {pid}", check.Stderr, StringComparison.Ordinal);
        // key passwd takes an exclusive lock: it goes ahead only because the lock is stale.
        _repository.HavenWith(new Dictionary<string, string?> { ["HAVEN_NEW_PASSWORD"] = InteropRepository.Password }).RunChecked("key", "passwd");
        Assert.Equal(pid, LockHolders().Single());
        _repository.Restic.RunChecked("unlock");
        Assert.Empty(LockHolders());
        _repository.AssertResticCheckPasses();
    }

    /// <summary>
    /// Starts a backup of the medium tree that stops itself at <paramref name="moment"/> (HAVEN_STOP_AT),
    /// SIGKILLs it there and returns its PID. Stopping first makes the moment exact: polling a fast
    /// backup from outside can miss it, and a small tree can be backed up between two looks.
    /// </summary>
    private async Task<int> KillBackupAsync(string moment)
    {
        int packsBefore = PackCount();
        int indexesBefore = IndexCount();
        using var backup = _repository.Haven.StartStoppingAt(moment, "backup", "--json", trees.Medium);
        var cancellationToken = TestContext.Current.CancellationToken;
        await backup.WaitUntilStoppedAsync(moment, s_deadline, cancellationToken);

        // What the repository holds at the moment of the kill.
        Assert.Equal(1, LockHolders().Count(pid => pid == backup.Id));
        switch (moment)
        {
            case StopPoint.LockHeld:
                Assert.Equal(packsBefore, PackCount());
                Assert.Equal(indexesBefore, IndexCount());
                break;
            case StopPoint.PackStored:
                Assert.True(PackCount() > packsBefore, "no pack stored at pack-stored");
                break;
            case StopPoint.SnapshotPending:
                Assert.True(PackCount() > packsBefore, "no pack stored at snapshot-pending");
                Assert.True(IndexCount() > indexesBefore, "no index file stored at snapshot-pending");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(moment), moment, null);
        }

        backup.Kill();
        var result = await backup.WaitForExitAsync(cancellationToken);

        Assert.True(result.ExitCode == 128 + 9, $"the backup was not killed at {moment} (exit code {result.ExitCode}):\n{result.Stdout}{result.Stderr}");
        return backup.Id;
    }

    private int PackCount() =>
        Directory.Exists(Path.Combine(_repository.Path, "data"))
            ? Directory.EnumerateFiles(Path.Combine(_repository.Path, "data"), "*", SearchOption.AllDirectories)
                .Count(file => Path.GetFileName(file).Length == 64)
            : 0;

    private int IndexCount() => Directory.GetFiles(Path.Combine(_repository.Path, "index")).Length;

    /// <summary>The PIDs recorded in the repository's lock files, read with haven cat lock.</summary>
    private List<int> LockHolders() =>
        [.. Directory.EnumerateFiles(Path.Combine(_repository.Path, "locks"))
            .Select(file => Path.GetFileName(file))
            .Where(name => name.Length == 64)
            .Select(id => (int)JsonNode.Parse(_repository.Haven.RunChecked("cat", "lock", id).Stdout)!["pid"]!)];
}
