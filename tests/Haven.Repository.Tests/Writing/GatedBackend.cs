// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Storage;

namespace Haven.Repository.Tests.Writing;

/// <summary>
/// A backend that holds every pack upload until the test opens the gate, so a test can look at the
/// repository while uploads are in flight. Everything else passes straight through.
/// </summary>
internal sealed class GatedBackend(IBackend inner) : IBackend
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waitingPacks;

    public string Location => inner.Location;

    /// <summary>Pack uploads that have arrived and wait at the gate.</summary>
    public int WaitingPacks => Volatile.Read(ref _waitingPacks);

    public void Open() => _gate.TrySetResult();

    public Task CreateAsync(CancellationToken cancellationToken) => inner.CreateAsync(cancellationToken);

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (handle.Type == FileType.Pack)
        {
            Interlocked.Increment(ref _waitingPacks);
            await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Decrement(ref _waitingPacks);
        }

        await inner.SaveAsync(handle, content, cancellationToken).ConfigureAwait(false);
    }

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken) =>
        inner.LoadAsync(handle, offset, length, cancellationToken);

    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) => inner.GetSizeAsync(handle, cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken) => inner.RemoveAsync(handle, cancellationToken);

    public IAsyncEnumerable<StoredFile> ListAsync(FileType type, CancellationToken cancellationToken) => inner.ListAsync(type, cancellationToken);

    public bool IsNotFound(Exception error) => inner.IsNotFound(error);

    public bool IsPermanentError(Exception error) => inner.IsPermanentError(error);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
