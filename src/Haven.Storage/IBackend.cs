// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Storage;

/// <summary>
/// Where a repository's files live. Files are written once and never modified; every write is
/// atomic (a reader sees the whole file or none). Implementations do not retry: retrying is a
/// decorator's job, and it asks <see cref="IsPermanentError"/> whether trying again can help.
/// Every member may be called concurrently.
/// </summary>
public interface IBackend : IAsyncDisposable
{
    /// <summary>A human-readable location without credentials, for messages.</summary>
    string Location { get; }

    /// <summary>Creates the folder layout of a new repository. Fails if a config already exists.</summary>
    Task CreateAsync(CancellationToken cancellationToken);

    /// <summary>Stores a whole file atomically. Storing a name that exists fails unless the content is identical.</summary>
    Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a whole file atomically from the first <paramref name="length"/> bytes of a local file
    /// (a pack assembled in a temporary file), so the caller does not hold it in memory. The default
    /// reads it into memory for <see cref="SaveAsync"/>; a backend that can copy it in pieces overrides it.
    /// </summary>
    async Task SaveFileAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken)
    {
        byte[] content = await LocalFile.ReadAllAsync(source, length, cancellationToken).ConfigureAwait(false);
        await SaveAsync(handle, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A nameless file, where the backend keeps its files, in which a pack can be assembled so that
    /// <see cref="SaveFileAsync"/> names it instead of copying it; it vanishes when closed unless saved.
    /// Null (the default) when the backend has no such place: the caller spools to a temporary folder.
    /// </summary>
    SafeFileHandle? CreateSpoolFile() => null;

    /// <summary>
    /// Reads <paramref name="length"/> bytes from <paramref name="offset"/>, or to the end when length is 0.
    /// Throws if the file is shorter than asked for; <see cref="IsNotFound"/> recognises a missing file.
    /// </summary>
    Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken);

    /// <summary>
    /// Reads exactly <c>destination.Length</c> bytes from <paramref name="offset"/> into a buffer the caller
    /// owns (a pooled one, on hot paths). Throws if the file is shorter. The default loads and copies;
    /// a backend that can read in place overrides it.
    /// </summary>
    async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        byte[] content = await LoadAsync(handle, offset, destination.Length, cancellationToken).ConfigureAwait(false);
        content.CopyTo(destination);
    }

    /// <summary>
    /// A read-only view of <paramref name="length"/> bytes at <paramref name="offset"/> of a stored file
    /// straight from the page cache, or null when the backend has none (the caller then reads); the
    /// caller disposes it. Throws as <see cref="ReadAsync"/> does when the file is missing or short.
    /// </summary>
    MappedRange? TryMap(FileHandle handle, long offset, int length) => null;

    /// <summary>The size of a stored file; throws a not-found error when it does not exist.</summary>
    Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken);

    /// <summary>Removes a file. Removing a file that does not exist is a not-found error.</summary>
    Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken);

    /// <summary>Lists the files of one type, in no particular order. Names that are not IDs (temporary files) are skipped.</summary>
    IAsyncEnumerable<StoredFile> ListAsync(FileType type, CancellationToken cancellationToken);

    /// <summary>True when the error says the file does not exist.</summary>
    bool IsNotFound(Exception error);

    /// <summary>True when trying the same call again cannot succeed (not found, access denied, bad request).</summary>
    bool IsPermanentError(Exception error);
}
