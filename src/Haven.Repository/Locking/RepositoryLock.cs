// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Haven.Format;
using Haven.Format.Diagnostics;
using Haven.Format.Json;
using Haven.Format.Locks;
using Haven.Repository.Errors;
using Haven.Storage;

namespace Haven.Repository.Locking;

/// <summary>
/// A lock file in locks/, compatible with restic's: shared locks coexist, an exclusive lock
/// excludes everything. The lock is rewritten every few minutes (restic calls a lock stale after
/// 30 minutes) until it is released.
/// </summary>
public sealed class RepositoryLock : IAsyncDisposable
{
    private static readonly TimeSpan s_refreshInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_settleDelay = TimeSpan.FromMilliseconds(200);

    // restic (lock_unix.go) tells whether the process of a lock on this host is alive by sending it
    // SIGHUP, and ignores SIGHUP itself for that reason. Without the same, 'restic unlock' on this
    // host kills a Haven process that holds a lock. Once set, it stays for the process lifetime, as in restic.
    private static readonly Lazy<PosixSignalRegistration> s_ignoreHangup =
        new(() => PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true));

    private readonly Repository _repository;
    private readonly bool _exclusive;
    private readonly CancellationTokenSource _stop = new();
    private Id _current;
    private Task? _refresher;
    private int _disposed;

    private RepositoryLock(Repository repository, bool exclusive, Id current)
    {
        _repository = repository;
        _exclusive = exclusive;
        _current = current;
    }

    public static Task<RepositoryLock> AcquireAsync(Repository repository, bool exclusive, CancellationToken cancellationToken) =>
        AcquireAsync(repository, exclusive, whileSettling: null, cancellationToken);

    /// <summary>
    /// Acquires the lock and runs <paramref name="whileSettling"/> during the settle delay, so reading
    /// what the command needs (index, snapshots) costs no extra wall time. That work must only read:
    /// when the second look finds a conflicting lock, its result is thrown away with the lock.
    /// </summary>
    public static async Task<RepositoryLock> AcquireAsync(
        Repository repository, bool exclusive, Func<CancellationToken, Task>? whileSettling, CancellationToken cancellationToken)
    {
        using var timing = Diagnostics.PhaseTimings.Measure("lock (with its settle delay)");
        _ = s_ignoreHangup.Value;
        await ThrowIfConflictingAsync(repository, exclusive, Id.Null, cancellationToken).ConfigureAwait(false);
        var id = await WriteLockAsync(repository, exclusive, cancellationToken).ConfigureAwait(false);
        Task work = Task.CompletedTask;
        try
        {
            // Two processes may have listed locks at the same moment; look again once both have written theirs.
            Task settled = Task.Delay(s_settleDelay, repository.Options.Time, cancellationToken);
            if (whileSettling is not null)
            {
                work = whileSettling(cancellationToken);
            }

            await settled.ConfigureAwait(false);
            await ThrowIfConflictingAsync(repository, exclusive, id, cancellationToken).ConfigureAwait(false);
            await work.ConfigureAwait(false);
        }
        catch
        {
            // A conflict wins over whatever the reading work ran into; let it finish before the lock goes.
            await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await repository.Backend.RemoveAsync(FileHandle.For(FileType.Lock, id), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        StopPoint.Reach(StopPoint.LockHeld);
        var held = new RepositoryLock(repository, exclusive, id);
        held._refresher = held.RefreshLoopAsync();
        return held;
    }

    /// <summary>Removes stale locks, or with <paramref name="all"/> every lock; returns how many were removed.</summary>
    public static async Task<int> RemoveAsync(Repository repository, bool all, CancellationToken cancellationToken)
    {
        int removed = 0;
        foreach (var (id, lockFile) in await LoadAllAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (all || lockFile is null || LockStaleness.IsStale(lockFile, repository.Options))
            {
                await repository.Backend.RemoveAsync(FileHandle.For(FileType.Lock, id), cancellationToken).ConfigureAwait(false);
                removed++;
            }
        }

        return removed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_refresher is not null)
        {
            await _refresher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        try
        {
            await _repository.Backend.RemoveAsync(FileHandle.For(FileType.Lock, _current), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (_repository.Backend.IsNotFound(error))
        {
            // Someone ran 'unlock --remove-all' meanwhile: the lock is gone either way.
        }

        _stop.Dispose();
    }

    private async Task RefreshLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(s_refreshInterval, _repository.Options.Time, _stop.Token).ConfigureAwait(false);
                var fresh = await WriteLockAsync(_repository, _exclusive, _stop.Token).ConfigureAwait(false);
                var old = _current;
                _current = fresh;
                await _repository.Backend.RemoveAsync(FileHandle.For(FileType.Lock, old), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<Id> WriteLockAsync(Repository repository, bool exclusive, CancellationToken cancellationToken)
    {
        var identity = repository.Options.Identity;
        var lockFile = new LockFile
        {
            Time = GoTimestamp.FromDateTimeOffset(repository.Options.Time.GetLocalNow()),
            Exclusive = exclusive,
            Hostname = identity.Hostname,
            Username = identity.Username,
            Pid = identity.Pid,
            Uid = identity.Uid,
            Gid = identity.Gid,
        };
        return await repository.SaveUnpackedAsync(FileType.Lock, lockFile.ToJson(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task ThrowIfConflictingAsync(Repository repository, bool exclusive, Id own, CancellationToken cancellationToken)
    {
        foreach (var (id, lockFile) in await LoadAllAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (id == own || lockFile is null || LockStaleness.IsStale(lockFile, repository.Options))
            {
                continue;
            }

            if (exclusive || lockFile.Exclusive)
            {
                string kind = lockFile.Exclusive ? "an exclusive" : "a";
                throw new RepositoryLockedException(
                    $"repository {repository.Backend.Location} is already locked: {kind} lock {id.ToShortString()} is held by PID {lockFile.Pid} on {lockFile.Hostname} " +
                    $"(user {lockFile.Username}) since {lockFile.Time}; wait for it to finish, or if that process is gone run 'haven unlock'");
            }
        }
    }

    private static async Task<List<(Id Id, LockFile? Lock)>> LoadAllAsync(Repository repository, CancellationToken cancellationToken)
    {
        var locks = new List<(Id, LockFile?)>();
        foreach (var id in await repository.ListIdsAsync(FileType.Lock, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                locks.Add((id, LockFile.Parse(await repository.LoadUnpackedAsync(FileType.Lock, id, cancellationToken).ConfigureAwait(false))));
            }
            catch (Exception error) when (repository.Backend.IsNotFound(error))
            {
                // Released between listing and loading.
            }
            catch (Exception error) when (error is DamagedDataException or FormatException)
            {
                // restic 0.14 ignores lock files it cannot read; so does Haven, but 'unlock' removes them.
                locks.Add((id, null));
            }
        }

        return locks;
    }
}
