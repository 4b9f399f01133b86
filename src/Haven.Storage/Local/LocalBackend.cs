// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Runtime.CompilerServices;
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Storage.Local;

/// <summary>
/// A repository in a local folder, laid out as restic's local backend lays it out: packs under
/// data/xx/, every other type in its own folder, config at the top. Each file is written to a
/// temporary name, flushed to disk, renamed into place and its folder synced, so a crash leaves
/// either the whole file or nothing under the final name.
/// </summary>
public sealed class LocalBackend : IBackend
{
    private const int SynchronousReadLimit = 1 << 20;
    private const int CopyPieceSize = 1 << 20;

    private static readonly object s_spoolMarker = new();

    private readonly string _root;

    // The nameless files this backend made, which alone it may link instead of copying.
    private readonly ConditionalWeakTable<SafeFileHandle, object> _spoolFiles = [];

    public LocalBackend(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Location => _root;

    public Task CreateAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(_root, "config")))
        {
            throw new StorageException($"a repository already exists at {_root}", permanent: true);
        }

        Directory.CreateDirectory(_root);
        foreach (FileType type in new[] { FileType.Key, FileType.Lock, FileType.Snapshot, FileType.Index, FileType.Pack })
        {
            Directory.CreateDirectory(Path.Combine(_root, FileTypeNames.Folder(type)));
        }

        for (int i = 0; i < 256; i++)
        {
            Directory.CreateDirectory(Path.Combine(_root, "data", i.ToString("x2")));
        }

        return Task.CompletedTask;
    }

    public string PathOf(FileHandle handle) => handle.Type switch
    {
        FileType.Config => Path.Combine(_root, "config"),
        FileType.Pack => Path.Combine(_root, "data", handle.Name[..2], handle.Name),
        _ => Path.Combine(_root, FileTypeNames.Folder(handle.Type), handle.Name),
    };

    public Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        SaveAtomicallyAsync(handle, content.Length, (stream, ct) => stream.WriteAsync(content, ct), cancellationToken);

    /// <summary>
    /// A nameless file in the repository's data folder (see <see cref="SpoolFile"/>): a pack assembled in
    /// it is stored by <see cref="SaveFileAsync"/> without a copy. Null when the file system cannot make one.
    /// </summary>
    public SafeFileHandle? CreateSpoolFile()
    {
        var file = SpoolFile.TryCreate(Path.Combine(_root, "data"));
        if (file is not null)
        {
            _spoolFiles.Add(file, s_spoolMarker);
        }

        return file;
    }

    /// <summary>
    /// A file from <see cref="CreateSpoolFile"/> holding exactly the pack is synced and linked under its
    /// name; any other is copied in 1 MiB pieces, so a 16 MiB pack never sits in memory as a whole.
    /// </summary>
    public Task SaveFileAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_spoolFiles.TryGetValue(source, out _) && RandomAccess.GetLength(source) == length && TryLink(handle, source, length))
        {
            return Task.CompletedTask;
        }

        return CopyFileAsync(handle, source, length, cancellationToken);
    }

    private bool TryLink(FileHandle handle, SafeFileHandle source, long length)
    {
        string path = PathOf(handle);
        string folder = Path.GetDirectoryName(path)!;
        if (IsStored(handle, path, length))
        {
            return true;
        }

        Directory.CreateDirectory(folder);
        try
        {
            switch (SpoolFile.TryLink(source, path))
            {
                case SpoolFile.LinkResult.Linked:
                    DirectorySync.Sync(folder);
                    return true;
                case SpoolFile.LinkResult.NameTaken:
                    return IsStored(handle, path, length);
                default:
                    return false;
            }
        }
        catch (IOException error) when (StorageException.IsDiskFull(error))
        {
            throw new StorageException($"cannot write {handle} to {_root}: no space left on the device; free space and run the command again", error, permanent: true);
        }
    }

    /// <summary>Whether the file exists already, which is fine when it has the expected length (files are named by their hash).</summary>
    private static bool IsStored(FileHandle handle, string path, long length)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (new FileInfo(path).Length == length)
        {
            return true;
        }

        throw new StorageException($"{handle} already exists with other content", permanent: true);
    }

    private Task CopyFileAsync(FileHandle handle, SafeFileHandle source, long length, CancellationToken cancellationToken) =>
        SaveAtomicallyAsync(
            handle,
            length,
            async (stream, ct) =>
            {
                byte[] piece = ArrayPool<byte>.Shared.Rent(CopyPieceSize);
                try
                {
                    for (long offset = 0; offset < length; offset += CopyPieceSize)
                    {
                        var slice = piece.AsMemory(0, (int)Math.Min(CopyPieceSize, length - offset));
                        await LocalFile.ReadExactlyAsync(source, slice, offset, ct).ConfigureAwait(false);
                        await stream.WriteAsync(slice, ct).ConfigureAwait(false);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(piece);
                }
            },
            cancellationToken);

    private async Task SaveAtomicallyAsync(FileHandle handle, long length, Func<FileStream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        string path = PathOf(handle);
        string folder = Path.GetDirectoryName(path)!;
        if (IsStored(handle, path, length))
        {
            // Files are named by their hash, so the same name means the same bytes: nothing to do.
            return;
        }

        Directory.CreateDirectory(folder);
        string temporary = $"{path}-tmp-{Guid.NewGuid():N}";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous, BufferSize = 0 };
            await using (var stream = new FileStream(temporary, options))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temporary, UnixFileMode.UserRead);
            File.Move(temporary, path, overwrite: false);
            DirectorySync.Sync(folder);
        }
        catch (IOException error) when (StorageException.IsDiskFull(error))
        {
            TryDelete(temporary);
            throw new StorageException($"cannot write {handle} to {_root}: no space left on the device; free space and run the command again", error, permanent: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public async Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = PathOf(handle);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        long size = RandomAccess.GetLength(file);
        if (length == 0)
        {
            long rest = size - offset;
            if (rest > int.MaxValue || rest < 0)
            {
                throw new StorageException($"{handle} is {size} bytes: cannot read from offset {offset}", permanent: true);
            }

            length = (int)rest;
        }

        ThrowIfShorter(handle, size, offset, length);
        var buffer = new byte[length];
        await FillAsync(file, handle, offset, buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        using var file = OpenRange(handle, offset, destination.Length);
        await FillAsync(file, handle, offset, destination, cancellationToken).ConfigureAwait(false);
    }

    public MappedRange? TryMap(FileHandle handle, long offset, int length)
    {
        using var file = OpenRange(handle, offset, length);
        return MappedRange.TryCreate(file, offset, length);
    }

    /// <summary>Opens a stored file for reading <paramref name="length"/> bytes at <paramref name="offset"/>; throws when it is shorter.</summary>
    private SafeFileHandle OpenRange(FileHandle handle, long offset, int length)
    {
        var file = File.OpenHandle(PathOf(handle), FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            ThrowIfShorter(handle, RandomAccess.GetLength(file), offset, length);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void ThrowIfShorter(FileHandle handle, long size, long offset, int length)
    {
        if (offset + length > size)
        {
            throw new StorageException($"{handle} is {size} bytes, shorter than the {length} bytes at offset {offset} asked for", permanent: true);
        }
    }

    private static async Task FillAsync(SafeFileHandle file, FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        int done = 0;
        while (done < destination.Length)
        {
            // Small reads (key, config, snapshot, lock and index files, tree blobs) stay on this thread:
            // on Linux an asynchronous read is the same pread handed to a thread-pool thread, and on a
            // busy machine each such hand-off waits for a core (an unchanged backup makes hundreds).
            int n = destination.Length - done <= SynchronousReadLimit
                ? RandomAccess.Read(file, destination.Span[done..], offset + done)
                : await RandomAccess.ReadAsync(file, destination[done..], offset + done, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new StorageException($"{handle} ended early while reading", permanent: true);
            }

            done += n;
        }
    }

    public Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(handle));
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{handle} does not exist in {_root}", info.FullName);
        }

        return Task.FromResult(info.Length);
    }

    public Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        string path = PathOf(handle);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{handle} does not exist in {_root}", path);
        }

        File.Delete(path);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (type == FileType.Config)
        {
            var config = new FileInfo(Path.Combine(_root, "config"));
            if (config.Exists)
            {
                yield return new StoredFile("config", config.Length);
            }

            yield break;
        }

        string folder = Path.Combine(_root, FileTypeNames.Folder(type));
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = type == FileType.Pack, MaxRecursionDepth = 1, IgnoreInaccessible = false };
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Id.TryParse(file.Name, out _))
            {
                yield return new StoredFile(file.Name, file.Length);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public bool IsNotFound(Exception error) => error is FileNotFoundException or DirectoryNotFoundException;

    public bool IsPermanentError(Exception error) =>
        IsNotFound(error) || error is UnauthorizedAccessException || (error is StorageException storage && storage.IsPermanent);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The temporary file is skipped by listings (not an ID), so leaving it is harmless.
        }
    }
}
