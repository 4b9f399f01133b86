// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Locks;
using Haven.Repository.Errors;
using Haven.Repository.Locking;
using Haven.Testing;

namespace Haven.Repository.Tests.Locking;

/// <summary>Locks: restic's rules for shared, exclusive and stale locks, refresh, and removal.</summary>
public sealed class RepositoryLockTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly TempDirectory _temp = new("locks");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Shared_locks_coexist_and_are_removed_when_released()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        await using var other = await TestRepository.OpenAsync(_temp, TestRepository.Options(hostname: "builder", pid: 4242));

        var first = await RepositoryLock.AcquireAsync(repository, exclusive: false, Token);
        var second = await RepositoryLock.AcquireAsync(other, exclusive: false, Token);
        Assert.Equal(2, (await repository.ListIdsAsync(FileType.Lock, Token)).Count);

        await first.DisposeAsync();
        await second.DisposeAsync();
        Assert.Empty(await repository.ListIdsAsync(FileType.Lock, Token));
    }

    [Theory]
    [InlineData(false, true, "a lock")]
    [InlineData(true, false, "an exclusive lock")]
    [InlineData(true, true, "an exclusive lock")]
    public async Task A_conflicting_lock_throws_RepositoryLockedException_naming_the_holder(bool heldExclusive, bool wantExclusive, string kind)
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        await using var holder = await TestRepository.OpenAsync(_temp, TestRepository.Options(hostname: "builder", pid: 4242));
        await using var held = await RepositoryLock.AcquireAsync(holder, heldExclusive, Token);
        var heldId = Assert.Single(await repository.ListIdsAsync(FileType.Lock, Token));

        var error = await Assert.ThrowsAsync<RepositoryLockedException>(() => RepositoryLock.AcquireAsync(repository, wantExclusive, Token));

        Assert.Contains($"{kind} {heldId.ToShortString()} is held by PID 4242 on builder (user tester)", error.Message, StringComparison.Ordinal);
        Assert.Equal([heldId], await repository.ListIdsAsync(FileType.Lock, Token));
    }

    [Fact]
    public async Task A_lock_of_a_dead_process_on_this_host_is_ignored()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        int deadPid = await DeadPidAsync();
        await WriteLockAsync(repository, Environment.MachineName, deadPid, DateTimeOffset.Now, exclusive: true);

        await using var acquired = await RepositoryLock.AcquireAsync(repository, exclusive: true, Token);

        Assert.Equal(2, (await repository.ListIdsAsync(FileType.Lock, Token)).Count);
    }

    [Fact]
    public async Task A_lock_from_another_host_is_stale_only_after_30_minutes()
    {
        var time = new FakeTimeProvider(s_start);
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options(time));
        var fresh = await WriteLockAsync(repository, "far-away", 77, s_start - TimeSpan.FromMinutes(29), exclusive: false);

        var error = await Assert.ThrowsAsync<RepositoryLockedException>(() => AcquireAsync(repository, time, exclusive: true));
        Assert.Contains("PID 77 on far-away", error.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await using var acquired = await AcquireAsync(repository, time, exclusive: true);
        Assert.Contains(fresh, await repository.ListIdsAsync(FileType.Lock, Token));
    }

    [Fact]
    public async Task A_held_lock_is_replaced_by_a_fresh_file_every_5_minutes()
    {
        var time = new FakeTimeProvider(s_start);
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options(time));
        await using var held = await AcquireAsync(repository, time, exclusive: false);
        var first = Assert.Single(await repository.ListIdsAsync(FileType.Lock, Token));
        await Wait.UntilAsync(() => time.PendingTimers == 1, TimeSpan.FromSeconds(30), "the refresh timer", Token);

        time.Advance(TimeSpan.FromMinutes(5));

        List<Id> locks = [];
        await Wait.UntilAsync(
            () => (locks = repository.ListIdsAsync(FileType.Lock, Token).GetAwaiter().GetResult()) is [var only] && only != first,
            TimeSpan.FromSeconds(30),
            "the refreshed lock to replace the first",
            Token);
        var refreshed = LockFile.Parse(await repository.LoadUnpackedAsync(FileType.Lock, locks[0], Token));
        Assert.Equal(s_start + TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(200), refreshed.Time.ToDateTimeOffset());
        Assert.False(refreshed.Exclusive);

        await held.DisposeAsync();
        Assert.Empty(await repository.ListIdsAsync(FileType.Lock, Token));
    }

    [Fact]
    public async Task RemoveAsync_without_all_removes_only_stale_and_unreadable_locks()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Now);
        var now = time.GetUtcNow();
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options(time));
        var live = await WriteLockAsync(repository, Environment.MachineName, Environment.ProcessId, now, exclusive: false);
        var otherHost = await WriteLockAsync(repository, "far-away", 77, now - TimeSpan.FromMinutes(10), exclusive: true);
        await WriteLockAsync(repository, Environment.MachineName, await DeadPidAsync(), now, exclusive: false);
        await WriteLockAsync(repository, "far-away", 78, now - TimeSpan.FromMinutes(31), exclusive: true);
        byte[] garbage = RepositoryReadTests.RandomBytes(9, 100);
        File.WriteAllBytes(Path.Combine(TestRepository.PathIn(_temp), "locks", Id.Hash(garbage).ToString()), garbage);

        Assert.Equal(3, await RepositoryLock.RemoveAsync(repository, all: false, Token));
        Assert.Equal(new[] { live, otherHost }.Order(), (await repository.ListIdsAsync(FileType.Lock, Token)).Order());

        Assert.Equal(2, await RepositoryLock.RemoveAsync(repository, all: true, Token));
        Assert.Empty(await repository.ListIdsAsync(FileType.Lock, Token));
    }

    /// <summary>Acquires on a fake clock: the acquirer waits 200 ms for racing lockers, which the test lets pass.</summary>
    private static async Task<RepositoryLock> AcquireAsync(Repository repository, FakeTimeProvider time, bool exclusive)
    {
        int before = time.PendingTimers;
        var acquiring = RepositoryLock.AcquireAsync(repository, exclusive, Token);
        await Wait.UntilAsync(() => acquiring.IsCompleted || time.PendingTimers > before, TimeSpan.FromSeconds(30), "the lock's settle delay", Token);
        if (!acquiring.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(200));
        }

        return await acquiring;
    }

    internal static async Task<Id> WriteLockAsync(Repository repository, string hostname, int pid, DateTimeOffset at, bool exclusive)
    {
        var lockFile = new LockFile
        {
            Time = GoTimestamp.FromDateTimeOffset(at),
            Exclusive = exclusive,
            Hostname = hostname,
            Username = "someone",
            Pid = pid,
        };
        return await repository.SaveUnpackedAsync(FileType.Lock, lockFile.ToJson(), Token);
    }

    /// <summary>The PID of a process that has exited (PIDs are not reused that quickly).</summary>
    internal static async Task<int> DeadPidAsync()
    {
        using var process = ProcessRunner.Start("true", []);
        await process.WaitForExitAsync(Token);
        return process.Id;
    }
}
