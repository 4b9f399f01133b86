// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Storage;

namespace Haven.Backup.Tests.Pruning;

/// <summary>
/// A backend that stops working for good just before the nth save or removal of one file type, as
/// if the process died there: that call and every later write fail. Locks pass through.
/// </summary>
internal sealed class CrashingBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly FileType _type;
    private readonly bool _onRemove;
    private readonly int _nth;
    private int _seen;

    public CrashingBackend(IBackend inner, FileType type, bool onRemove, int nth)
    {
        _inner = inner;
        _type = type;
        _onRemove = onRemove;
        _nth = nth;
    }

    public bool Crashed { get; private set; }

    public string Location => _inner.Location;

    public Task CreateAsync(CancellationToken cancellationToken) => _inner.CreateAsync(cancellationToken);

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Step(handle, remove: false);
        return _inner.SaveAsync(handle, content, cancellationToken);
    }

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken) => _inner.LoadAsync(handle, offset, length, cancellationToken);

    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) => _inner.GetSizeAsync(handle, cancellationToken);

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        Step(handle, remove: true);
        return _inner.RemoveAsync(handle, cancellationToken);
    }

    public IAsyncEnumerable<StoredFile> ListAsync(FileType type, CancellationToken cancellationToken) => _inner.ListAsync(type, cancellationToken);

    public bool IsNotFound(Exception error) => _inner.IsNotFound(error);

    public bool IsPermanentError(Exception error) => _inner.IsPermanentError(error);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private void Step(FileHandle handle, bool remove)
    {
        if (handle.Type == FileType.Lock)
        {
            return;
        }

        lock (this)
        {
            if (!Crashed && handle.Type == _type && remove == _onRemove && ++_seen == _nth)
            {
                Crashed = true;
            }

            if (Crashed)
            {
                throw new IOException($"simulated crash before {(remove ? "removing" : "saving")} {handle}");
            }
        }
    }
}
