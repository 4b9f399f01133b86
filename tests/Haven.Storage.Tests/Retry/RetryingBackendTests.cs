// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Storage.Local;
using Haven.Storage.Retry;
using Haven.Testing;

namespace Haven.Storage.Tests.Retry;

/// <summary>The retrying decorator: transient failures are retried within bounds, permanent ones are not, and giving up says what failed.</summary>
public sealed class RetryingBackendTests : IDisposable
{
    private static readonly RetryPolicy s_fast = new() { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4) };
    private readonly TempDirectory _directory = new("retry");
    private readonly FaultyBackend _faulty;

    public RetryingBackendTests()
    {
        _faulty = new FaultyBackend(new LocalBackend(_directory.Combine("repo")));
        _faulty.CreateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_few_transient_failures_are_retried_until_the_call_succeeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var retried = new List<string>();
        var backend = new RetryingBackend(_faulty, s_fast, onRetry: retried.Add);
        byte[] content = [1, 2, 3];
        var handle = FileHandle.For(FileType.Pack, Id.Hash(content));
        int before = _faulty.Calls;
        _faulty.Fails = n => n <= before + 3;

        await backend.SaveAsync(handle, content, ct);

        Assert.Equal(4, _faulty.Calls - before);
        Assert.Equal(3, retried.Count);
        Assert.All(retried, line => Assert.StartsWith($"save {handle} failed (injected fault", line, StringComparison.Ordinal));
        Assert.Equal(content, await backend.LoadAsync(handle, 0, 0, ct));
    }

    [Fact]
    public async Task A_storm_of_transient_failures_ends_after_the_bounded_attempts_with_a_message_naming_operation_file_and_last_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var backend = new RetryingBackend(_faulty, s_fast);
        var handle = FileHandle.For(FileType.Index, Id.Hash([7]));
        int before = _faulty.Calls;
        _faulty.Fails = _ => true;

        var error = await Assert.ThrowsAsync<RetriesExhaustedException>(() => backend.LoadAsync(handle, 0, 0, ct));

        Assert.Equal(5, _faulty.Calls - before);
        Assert.StartsWith($"cannot load {handle} at {_faulty.Location}: gave up after 5 attempts", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"the last error was: injected fault in call {before + 5} (load {handle} 0 0): 503 SlowDown", error.Message, StringComparison.Ordinal);
        Assert.True(backend.IsPermanentError(error));
    }

    [Fact]
    public async Task Permanent_errors_and_missing_files_fail_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var backend = new RetryingBackend(_faulty, s_fast);
        var handle = FileHandle.For(FileType.Snapshot, Id.Hash([8]));
        int before = _faulty.Calls;

        var missing = await Assert.ThrowsAnyAsync<Exception>(() => backend.LoadAsync(handle, 0, 0, ct));
        Assert.True(backend.IsNotFound(missing));
        Assert.Equal(1, _faulty.Calls - before);

        _faulty.Permanent = true;
        _faulty.Fails = _ => true;
        await Assert.ThrowsAsync<FaultyBackend.InjectedFault>(() => backend.GetSizeAsync(handle, ct));
        Assert.Equal(2, _faulty.Calls - before);
    }

    [Fact]
    public async Task No_retry_starts_after_the_time_bound()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var policy = new RetryPolicy { MaxAttempts = 100, InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), MaxElapsed = TimeSpan.FromSeconds(10) };
        var backend = new RetryingBackend(_faulty, policy, time);
        int before = _faulty.Calls;
        _faulty.Fails = _ => true;

        var call = backend.GetSizeAsync(FileHandle.Config, ct);
        while (!call.IsCompleted)
        {
            await Wait.UntilAsync(() => time.PendingTimers > 0 || call.IsCompleted, TimeSpan.FromSeconds(10), "the next retry's timer", ct);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var error = await Assert.ThrowsAsync<RetriesExhaustedException>(() => call);
        int attempts = _faulty.Calls - before;
        Assert.InRange(attempts, 11, 21);
        Assert.Contains($"gave up after {attempts} attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_wait_ends_with_the_time_bound_so_the_bound_holds_for_the_whole_call()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var policy = new RetryPolicy { MaxAttempts = 100, InitialDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromSeconds(30), MaxElapsed = TimeSpan.FromSeconds(5) };
        var retried = new List<string>();
        var backend = new RetryingBackend(_faulty, policy, time, retried.Add);
        int before = _faulty.Calls;
        _faulty.Fails = _ => true;

        var call = backend.GetSizeAsync(FileHandle.Config, ct);
        await Wait.UntilAsync(() => time.PendingTimers > 0, TimeSpan.FromSeconds(10), "the retry's timer", ct);
        time.Advance(TimeSpan.FromSeconds(5));
        await Wait.UntilAsync(() => call.IsCompleted, TimeSpan.FromSeconds(10), "the call to give up once the 5 s were over", ct);

        var error = await Assert.ThrowsAsync<RetriesExhaustedException>(() => call);
        Assert.Equal(2, _faulty.Calls - before);
        Assert.EndsWith("trying again in 5 s", Assert.Single(retried), StringComparison.Ordinal);
        Assert.Contains("gave up after 2 attempts in 5 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listing_is_retried_when_it_fails_before_its_first_entry()
    {
        var ct = TestContext.Current.CancellationToken;
        var backend = new RetryingBackend(_faulty, s_fast);
        byte[] content = [5];
        await backend.SaveAsync(FileHandle.For(FileType.Key, Id.Hash(content)), content, ct);
        int before = _faulty.Calls;
        _faulty.Fails = n => n <= before + 2;

        var listed = new List<StoredFile>();
        await foreach (var file in backend.ListAsync(FileType.Key, ct))
        {
            listed.Add(file);
        }

        Assert.Equal([new StoredFile(Id.Hash(content).ToString(), 1)], listed);
        Assert.Equal(3, _faulty.Calls - before);
    }

    [Theory]
    [InlineData(1, 250, 500)]
    [InlineData(2, 500, 1000)]
    [InlineData(4, 2000, 4000)]
    [InlineData(12, 15000, 30000)]
    public void Delays_double_with_each_retry_within_jitter_and_a_cap(int retry, int lowMs, int highMs)
    {
        var policy = new RetryPolicy();

        Assert.Equal(TimeSpan.FromMilliseconds(lowMs), policy.DelayBefore(retry, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(highMs), policy.DelayBefore(retry, 1));
    }
}
