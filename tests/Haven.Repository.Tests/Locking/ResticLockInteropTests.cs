// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Locks;
using Haven.Repository.Errors;
using Haven.Repository.Locking;
using Haven.Testing;

namespace Haven.Repository.Tests.Locking;

/// <summary>Haven's and restic's locks exclude each other, and restic reads and clears Haven's locks.</summary>
public sealed class ResticLockInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new("lock-interop");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Restic Restic => new(TestRepository.PathIn(_temp));

    [Fact]
    public async Task restic_lists_a_held_Haven_lock_and_unlock_keeps_it_without_killing_the_holder()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: false, Token);
        var id = Assert.Single(await repository.ListIdsAsync(FileType.Lock, Token));

        Assert.Equal(id.ToString(), Restic.RunChecked("list", "locks").Stdout.Trim());
        Assert.Contains($"\"pid\":{Environment.ProcessId}", Restic.RunChecked("cat", "lock", id.ToString()).Stdout.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        // restic probes the holder with SIGHUP: this test process holds the lock and must survive it.
        Restic.RunChecked("unlock");

        Assert.Equal([id], await repository.ListIdsAsync(FileType.Lock, Token));
    }

    [Fact]
    public async Task restic_unlock_removes_a_stale_Haven_lock()
    {
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options(pid: await RepositoryLockTests.DeadPidAsync()));
        var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, Token);
        Assert.Single(await repository.ListIdsAsync(FileType.Lock, Token));

        var result = Restic.RunChecked("unlock");

        Assert.Contains("successfully removed locks", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(await repository.ListIdsAsync(FileType.Lock, Token));
        await held.DisposeAsync();
    }

    [Fact]
    public async Task restic_refuses_to_lock_while_Haven_holds_an_exclusive_lock()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: true, Token);

        var result = Restic.Run("snapshots");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"repository is already locked exclusively by PID {Environment.ProcessId} on {Environment.MachineName}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_held_by_a_running_restic_blocks_an_exclusive_Haven_lock_but_not_a_shared_one()
    {
        await using (await TestRepository.InitAsync(_temp))
        {
        }

        // restic backup --stdin holds its shared lock until its input ends; sleep keeps the input open.
        using var backup = ProcessRunner.Start("sh", ["-c", $"sleep 120 | exec {Restic.ProgramPath} --no-cache backup --stdin"], Restic.Options);
        string locks = Path.Combine(TestRepository.PathIn(_temp), "locks");
        // restic writes the lock under a temporary name first and renames it: only a name that is an ID is the lock.
        await Wait.UntilAsync(
            () => Directory.GetFiles(locks).Count(file => Id.TryParse(Path.GetFileName(file), out _)) == 1, TimeSpan.FromSeconds(60), "restic's lock file", Token);
        await using var repository = await TestRepository.OpenAsync(_temp);
        var resticLockId = Assert.Single(await repository.ListIdsAsync(FileType.Lock, Token));
        var resticLock = LockFile.Parse(await repository.LoadUnpackedAsync(FileType.Lock, resticLockId, Token));

        var error = await Assert.ThrowsAsync<RepositoryLockedException>(() => RepositoryLock.AcquireAsync(repository, exclusive: true, Token));

        Assert.Contains($"a lock {resticLockId.ToShortString()} is held by PID {resticLock.Pid} on {Environment.MachineName}", error.Message, StringComparison.Ordinal);
        await using (await RepositoryLock.AcquireAsync(repository, exclusive: false, Token))
        {
            Assert.Equal(2, (await repository.ListIdsAsync(FileType.Lock, Token)).Count);
        }
    }
}
