// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.CompilerServices;
using Haven.Format;
using Haven.Storage;

namespace Haven.Testing;

/// <summary>
/// Wraps a backend and fails the calls a test picks with a transient (or permanent) error before
/// they reach it: the nth call, the first N calls, or every call (a storm). Counts every call.
/// </summary>
public sealed class FaultyBackend(IBackend inner) : IBackend
{
    private int _calls;

    /// <summary>Decides, from the 1-based number of a call, whether it fails.</summary>
    public Func<int, bool> Fails { get; set; } = _ => false;

    /// <summary>Whether injected failures are permanent.</summary>
    public bool Permanent { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public List<string> Log { get; } = [];

    public string Location => inner.Location;

    public Task CreateAsync(CancellationToken cancellationToken) => Pass("create", () => inner.CreateAsync(cancellationToken));

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Pass($"save {handle}", () => inner.SaveAsync(handle, content, cancellationToken));

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken) =>
        Pass($"load {handle} {offset} {length}", () => inner.LoadAsync(handle, offset, length, cancellationToken));

    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) =>
        Pass($"stat {handle}", () => inner.GetSizeAsync(handle, cancellationToken));

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken) => Pass($"remove {handle}", () => inner.RemoveAsync(handle, cancellationToken));

    public async IAsyncEnumerable<StoredFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Pass($"list {FileTypeNames.Folder(type)}", () => Task.CompletedTask).ConfigureAwait(false);
        await foreach (var file in inner.ListAsync(type, cancellationToken).ConfigureAwait(false))
        {
            yield return file;
        }
    }

    public bool IsNotFound(Exception error) => inner.IsNotFound(error);

    public bool IsPermanentError(Exception error) => error is InjectedFault fault ? fault.IsPermanent : inner.IsPermanentError(error);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private Task<T> Pass<T>(string what, Func<Task<T>> call)
    {
        int number = Interlocked.Increment(ref _calls);
        lock (Log)
        {
            Log.Add(what);
        }

        return Fails(number) ? Task.FromException<T>(new InjectedFault($"injected fault in call {number} ({what}): 503 SlowDown", Permanent)) : call();
    }

    private Task Pass(string what, Func<Task> call) => Pass(what, async () => { await call().ConfigureAwait(false); return true; });

    /// <summary>The error this backend injects.</summary>
    public sealed class InjectedFault(string message, bool permanent) : StorageException(message, permanent);
}
