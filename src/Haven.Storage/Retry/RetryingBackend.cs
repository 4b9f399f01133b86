// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.CompilerServices;
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Storage.Retry;

/// <summary>
/// Tries a backend's calls again after transient failures (a 5xx, throttling, a timeout, a dropped
/// connection), waiting longer each time with jitter, within <see cref="RetryPolicy"/>'s bounds in
/// attempts and time; errors the backend calls permanent fail at once. When it gives up, the error
/// names the operation, the file, the number of attempts and the last failure.
/// </summary>
public sealed class RetryingBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Action<string>? _onRetry;

    /// <param name="onRetry">Told, in one line, about each failure that will be retried (for a verbose log).</param>
    public RetryingBackend(IBackend inner, RetryPolicy? policy = null, TimeProvider? time = null, Action<string>? onRetry = null)
    {
        _inner = inner;
        _policy = policy ?? new RetryPolicy();
        _time = time ?? TimeProvider.System;
        _onRetry = onRetry;
    }

    public string Location => _inner.Location;

    public Task CreateAsync(CancellationToken cancellationToken) =>
        RunAsync("create the repository", null, ct => _inner.CreateAsync(ct), cancellationToken);

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        RunAsync("save", handle, ct => _inner.SaveAsync(handle, content, ct), cancellationToken);

    public Task SaveFileAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken) =>
        RunAsync("save", handle, ct => _inner.SaveFileAsync(handle, source, length, ct), cancellationToken);

    public SafeFileHandle? CreateSpoolFile() => _inner.CreateSpoolFile();

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken) =>
        RunAsync("load", handle, ct => _inner.LoadAsync(handle, offset, length, ct), cancellationToken);

    public Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken) =>
        RunAsync("load", handle, ct => _inner.ReadAsync(handle, offset, destination, ct), cancellationToken);

    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) =>
        RunAsync("stat", handle, ct => _inner.GetSizeAsync(handle, ct), cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken) =>
        RunAsync("remove", handle, ct => _inner.RemoveAsync(handle, ct), cancellationToken);

    /// <summary>A listing is retried as a whole and only before its first entry was handed out; later failures pass through.</summary>
    public async IAsyncEnumerable<StoredFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (enumerator, first) = await RunAsync($"list {FileTypeNames.Folder(type)}", null, async ct =>
        {
            var e = _inner.ListAsync(type, ct).GetAsyncEnumerator(ct);
            try
            {
                return (e, await e.MoveNextAsync().ConfigureAwait(false));
            }
            catch
            {
                await e.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
        await using (enumerator.ConfigureAwait(false))
        {
            for (bool more = first; more; more = await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                yield return enumerator.Current;
            }
        }
    }

    public bool IsNotFound(Exception error) => _inner.IsNotFound(error) || (error is RetriesExhaustedException e && e.InnerException is { } inner && _inner.IsNotFound(inner));

    public bool IsPermanentError(Exception error) => error is RetriesExhaustedException || _inner.IsPermanentError(error);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private Task RunAsync(string operation, FileHandle? handle, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(operation, handle, async ct => { await call(ct).ConfigureAwait(false); return true; }, cancellationToken);

    private async Task<T> RunAsync<T>(string operation, FileHandle? handle, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested && !_inner.IsPermanentError(error))
            {
                string what = handle is { } h ? $"{operation} {h}" : operation;
                if (attempt >= _policy.MaxAttempts || _time.GetElapsedTime(start) >= _policy.MaxElapsed)
                {
                    throw new RetriesExhaustedException(
                        $"cannot {what} at {_inner.Location}: gave up after {attempt} attempts in {_time.GetElapsedTime(start).TotalSeconds:0.#} s; the last error was: {error.Message}", error);
                }

                // The last wait ends when the time allowed does, so retry.max-time bounds the whole call.
                var left = _policy.MaxElapsed - _time.GetElapsedTime(start);
                var delay = TimeSpan.FromTicks(Math.Min(_policy.DelayBefore(attempt, Random.Shared.NextDouble()).Ticks, left.Ticks));
                _onRetry?.Invoke($"{what} failed ({error.Message}); trying again in {delay.TotalSeconds:0.#} s");
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
