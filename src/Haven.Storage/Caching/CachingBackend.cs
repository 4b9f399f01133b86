// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Storage.Caching;

/// <summary>
/// Keeps local copies of a remote repository's index and snapshot files, and of the packs a caller
/// asks for through <see cref="LoadThroughCacheAsync"/> (tree packs), in restic's cache layout:
/// DIRECTORY/{index,snapshots,data/XX}/ID. A cached file is checked against its name (its hash)
/// before its first use in a process; a damaged copy is dropped and fetched again. A listing drops
/// the cached files of its type that the repository no longer has. The cache is only an
/// optimisation: failing to write it never fails a command.
/// </summary>
public sealed class CachingBackend : IBackend
{
    private readonly IBackend _inner;
    private readonly string _directory;
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public CachingBackend(IBackend inner, string directory)
    {
        _inner = inner;
        _directory = directory;
    }

    public string Location => _inner.Location;

    /// <summary>The folder of this repository's cache.</summary>
    public string Directory => _directory;

    public Task CreateAsync(CancellationToken cancellationToken) => _inner.CreateAsync(cancellationToken);

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await _inner.SaveAsync(handle, content, cancellationToken).ConfigureAwait(false);
        if (IsCachedType(handle.Type))
        {
            TryWrite(handle, content.Span);
        }
    }

    /// <summary>Packs are not cached when saved (only index and snapshot files are), so a pack goes straight through.</summary>
    public async Task SaveFileAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken)
    {
        if (IsCachedType(handle.Type))
        {
            byte[] content = await LocalFile.ReadAllAsync(source, length, cancellationToken).ConfigureAwait(false);
            await SaveAsync(handle, content, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _inner.SaveFileAsync(handle, source, length, cancellationToken).ConfigureAwait(false);
    }

    public SafeFileHandle? CreateSpoolFile() => _inner.CreateSpoolFile();

    public Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        if (IsCachedType(handle.Type))
        {
            return LoadThroughCacheAsync(handle, offset, length, cancellationToken);
        }

        if (handle.Type == FileType.Pack && TryReadCached(handle, offset, length) is { } cached)
        {
            return Task.FromResult(cached);
        }

        return _inner.LoadAsync(handle, offset, length, cancellationToken);
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (handle.Type == FileType.Pack && TryReadCached(handle, offset, destination.Length) is { } cached)
        {
            cached.CopyTo(destination);
        }
        else if (IsCachedType(handle.Type))
        {
            (await LoadThroughCacheAsync(handle, offset, destination.Length, cancellationToken).ConfigureAwait(false)).CopyTo(destination);
        }
        else
        {
            await _inner.ReadAsync(handle, offset, destination, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a range of a file from the cache, downloading the whole file into the cache first when it is not there.</summary>
    public async Task<byte[]> LoadThroughCacheAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        if (handle.Type == FileType.Config || handle.Type == FileType.Key || handle.Type == FileType.Lock)
        {
            return await _inner.LoadAsync(handle, offset, length, cancellationToken).ConfigureAwait(false);
        }

        if (TryReadCached(handle, offset, length) is { } cached)
        {
            return cached;
        }

        byte[] whole = await _inner.LoadAsync(handle, 0, 0, cancellationToken).ConfigureAwait(false);
        if (Id.TryParse(handle.Name, out var id) && Id.Hash(whole) == id)
        {
            TryWrite(handle, whole);
            _verified[handle.ToString()] = true;
        }

        return Slice(handle, whole, offset, length);
    }

    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken) => _inner.GetSizeAsync(handle, cancellationToken);

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        await _inner.RemoveAsync(handle, cancellationToken).ConfigureAwait(false);
        TryDelete(PathOf(handle));
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var file in _inner.ListAsync(type, cancellationToken).ConfigureAwait(false))
        {
            listed.Add(file.Name);
            yield return file;
        }

        // The whole listing was read: cached files it did not name are gone from the repository.
        if (type is FileType.Index or FileType.Snapshot or FileType.Pack)
        {
            foreach (string path in CachedFiles(type).Where(p => !listed.Contains(Path.GetFileName(p))))
            {
                TryDelete(path);
            }
        }
    }

    public bool IsNotFound(Exception error) => _inner.IsNotFound(error);

    public bool IsPermanentError(Exception error) => _inner.IsPermanentError(error);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private static bool IsCachedType(FileType type) => type is FileType.Index or FileType.Snapshot;

    private string PathOf(FileHandle handle) => handle.Type == FileType.Pack
        ? Path.Combine(_directory, "data", handle.Name[..2], handle.Name)
        : Path.Combine(_directory, FileTypeNames.Folder(handle.Type), handle.Name);

    private IEnumerable<string> CachedFiles(FileType type)
    {
        string folder = Path.Combine(_directory, FileTypeNames.Folder(type));
        if (!System.IO.Directory.Exists(folder))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = type == FileType.Pack, MaxRecursionDepth = 1 };
        return System.IO.Directory.EnumerateFiles(folder, "*", options).Where(p => Id.TryParse(Path.GetFileName(p), out _)).ToList();
    }

    private byte[]? TryReadCached(FileHandle handle, long offset, int length)
    {
        string path = PathOf(handle);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            string key = handle.ToString();
            if (!_verified.ContainsKey(key))
            {
                byte[] whole = File.ReadAllBytes(path);
                if (!Id.TryParse(handle.Name, out var id) || Id.Hash(whole) != id)
                {
                    TryDelete(path);
                    return null;
                }

                _verified[key] = true;
                return Slice(handle, whole, offset, length);
            }

            using var file = File.OpenHandle(path);
            long size = RandomAccess.GetLength(file);
            long count = length == 0 ? size - offset : length;
            if (offset < 0 || count < 0 || offset + count > size || count > int.MaxValue)
            {
                throw new StorageException($"{handle} is {size} bytes, shorter than the {length} bytes at offset {offset} asked for", permanent: true);
            }

            var buffer = new byte[count];
            int done = 0;
            while (done < buffer.Length)
            {
                int n = RandomAccess.Read(file, buffer.AsSpan(done), offset + done);
                if (n == 0)
                {
                    return null;
                }

                done += n;
            }

            return buffer;
        }
        catch (Exception error) when (error is IOException and not StorageException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static byte[] Slice(FileHandle handle, byte[] whole, long offset, int length)
    {
        if (offset == 0 && length == 0)
        {
            return whole;
        }

        long count = length == 0 ? whole.Length - offset : length;
        if (offset < 0 || count < 0 || offset + count > whole.Length)
        {
            throw new StorageException($"{handle} is {whole.Length} bytes, shorter than the {length} bytes at offset {offset} asked for", permanent: true);
        }

        return whole.AsSpan((int)offset, (int)count).ToArray();
    }

    private void TryWrite(FileHandle handle, ReadOnlySpan<byte> content)
    {
        string path = PathOf(handle);
        string temporary = $"{path}-tmp-{Guid.NewGuid():N}";
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteTag();
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
        }
    }

    private void WriteTag()
    {
        // CACHEDIR.TAG (bford.ca/cachedir) tells backup tools, restic and Haven included, to skip the cache.
        string parent = Path.GetDirectoryName(_directory.TrimEnd('/'))!;
        string tag = Path.Combine(parent, "CACHEDIR.TAG");
        if (!File.Exists(tag))
        {
            File.WriteAllText(tag, "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by Haven.\n");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A stale cache entry left behind is dropped by a later listing.
        }
    }
}
