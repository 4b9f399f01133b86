// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Haven.Format;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Sftp;

namespace Haven.Storage.Sftp;

/// <summary>
/// A repository on an SFTP server, laid out as restic's sftp backend lays it out: config at the
/// top, packs under data/xx/ (folders made when first needed), every other type in its own
/// folder. A file is uploaded under a temporary name in its target folder and renamed into place
/// (posix-rename@openssh.com), so readers see the whole file or none. All operations share one
/// connection; after it drops, the next operation opens a new one.
/// </summary>
public sealed class SftpBackend : IBackend
{
    private static readonly FileType[] s_folders = [FileType.Key, FileType.Lock, FileType.Snapshot, FileType.Index, FileType.Pack];

    private readonly SftpConnection _connection;

    public SftpBackend(SftpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connection = new SftpConnection(options);
        Location = options.Location.ToString();
    }

    public string Location { get; }

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        using var session = await _connection.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var (client, root) = (session.Client, session.Root);
        await RunAsync(session, "create the repository folders", async () =>
        {
            if (await client.ExistsAsync(root + "/config", cancellationToken).ConfigureAwait(false))
            {
                throw new StorageException($"a repository already exists at {Location}", permanent: true);
            }

            await CreateDirectoriesAsync(client, root, cancellationToken).ConfigureAwait(false);
            foreach (var type in s_folders)
            {
                await CreateDirectoryAsync(client, $"{root}/{FileTypeNames.Folder(type)}", cancellationToken).ConfigureAwait(false);
            }

            return true;
        }).ConfigureAwait(false);
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var session = await _connection.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var (client, root) = (session.Client, session.Root);
        string path = PathOf(root, handle);
        await RunAsync(session, $"save {handle}", async () =>
        {
            var existing = await TryGetAttributesAsync(client, path, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                // Files are named by their hash, so the same name and size means the same bytes.
                return existing.Length == content.Length
                    ? true
                    : throw new StorageException($"{handle} already exists in {Location} with other content", permanent: true);
            }

            string temporary = $"{path}-tmp-{Guid.NewGuid():N}";
            try
            {
                await UploadAsync(client, temporary, content, cancellationToken).ConfigureAwait(false);
            }
            catch (SftpPathNotFoundException)
            {
                await CreateDirectoriesAsync(client, path[..path.LastIndexOf('/')], cancellationToken).ConfigureAwait(false);
                await UploadAsync(client, temporary, content, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await RenameAsync(client, temporary, path, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await TryDeleteAsync(client, temporary).ConfigureAwait(false);
                throw;
            }

            return true;
        }).ConfigureAwait(false);
    }

    public async Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        using var session = await _connection.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var (client, root) = (session.Client, session.Root);
        return await RunAsync(session, $"read {handle}", async () =>
        {
            await using var stream = await client.OpenAsync(PathOf(root, handle), FileMode.Open, FileAccess.Read, cancellationToken).ConfigureAwait(false);
            long size = stream.Length;
            long wanted = length == 0 ? size - offset : length;
            if (offset < 0 || wanted < 0 || wanted > int.MaxValue || offset + wanted > size)
            {
                throw new StorageException($"{handle} is {size} bytes, shorter than the {wanted} bytes at offset {offset} asked for", permanent: true);
            }

            var buffer = new byte[wanted];
            stream.Position = offset;
            int done = 0;
            while (done < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(done), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new StorageException($"{handle} ended early while reading", permanent: true);
                }

                done += n;
            }

            return buffer;
        }).ConfigureAwait(false);
    }

    public async Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        using var session = await _connection.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var (client, root) = (session.Client, session.Root);
        return await RunAsync(session, $"stat {handle}", async () =>
            (await client.GetAttributesAsync(PathOf(root, handle), cancellationToken).ConfigureAwait(false)).Size).ConfigureAwait(false);
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        using var session = await _connection.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var (client, root) = (session.Client, session.Root);
        await RunAsync(session, $"remove {handle}", async () =>
        {
            await client.DeleteFileAsync(PathOf(root, handle), cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var session = await _connection.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var (client, root) = (session.Client, session.Root);
        if (type == FileType.Config)
        {
            var config = await RunAsync(session, "stat config", () => TryGetAttributesAsync(client, root + "/config", cancellationToken)).ConfigureAwait(false);
            if (config is not null)
            {
                yield return new StoredFile("config", config.Length);
            }

            yield break;
        }

        string folder = $"{root}/{FileTypeNames.Folder(type)}";
        var entries = await RunAsync(session, $"list {folder}", () => ListFolderAsync(client, folder, cancellationToken)).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            if (type == FileType.Pack && entry.IsDirectory)
            {
                if (entry.Name.Length == 2 && entry.Name.All(char.IsAsciiHexDigitLower))
                {
                    string sub = $"{folder}/{entry.Name}";
                    foreach (var file in await RunAsync(session, $"list {sub}", () => ListFolderAsync(client, sub, cancellationToken)).ConfigureAwait(false))
                    {
                        if (file.IsRegularFile && Id.TryParse(file.Name, out _))
                        {
                            yield return new StoredFile(file.Name, file.Length);
                        }
                    }
                }
            }
            else if (entry.IsRegularFile && Id.TryParse(entry.Name, out _))
            {
                yield return new StoredFile(entry.Name, entry.Length);
            }
        }
    }

    public bool IsNotFound(Exception error) => error is FileNotFoundException or SftpPathNotFoundException;

    public bool IsPermanentError(Exception error) =>
        IsNotFound(error) || error is SftpPermissionDeniedException or UnauthorizedAccessException || (error is StorageException storage && storage.IsPermanent);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static string PathOf(string root, FileHandle handle) => handle.Type switch
    {
        FileType.Config => root + "/config",
        FileType.Pack => $"{root}/data/{handle.Name[..2]}/{handle.Name}",
        _ => $"{root}/{FileTypeNames.Folder(handle.Type)}/{handle.Name}",
    };

    private static async Task<ISftpFile?> TryGetAttributesAsync(SftpClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpPathNotFoundException)
        {
            return null;
        }
    }

    private static async Task<List<ISftpFile>> ListFolderAsync(SftpClient client, string folder, CancellationToken cancellationToken)
    {
        var entries = new List<ISftpFile>();
        try
        {
            await foreach (var entry in client.ListDirectoryAsync(folder, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Name is not ("." or ".."))
                {
                    entries.Add(entry);
                }
            }
        }
        catch (SftpPathNotFoundException)
        {
            // A folder that was never made holds no files.
        }

        return entries;
    }

    private static async Task UploadAsync(SftpClient client, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var segment = MemoryMarshal.TryGetArray(content, out var array) ? array : new ArraySegment<byte>(content.ToArray());
        using var input = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        await client.UploadFileAsync(input, path, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RenameAsync(SftpClient client, string from, string to, CancellationToken cancellationToken)
    {
        try
        {
            // SSH.NET offers posix-rename only as a blocking call.
            await Task.Run(() => client.RenameFile(from, to, isPosix: true), cancellationToken).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            // A server without posix-rename@openssh.com: a plain SFTP rename, which refuses to replace a file.
            await client.RenameFileAsync(from, to, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CreateDirectoriesAsync(SftpClient client, string path, CancellationToken cancellationToken)
    {
        string current = path.StartsWith('/') ? string.Empty : ".";
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = $"{current}/{part}";
            await CreateDirectoryAsync(client, current, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CreateDirectoryAsync(SftpClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SshException) when (client.IsConnected)
        {
            // SFTP v3 says only "failure" when the folder exists already (made earlier, or by a
            // concurrent save); anything else is a real failure.
            if (!await client.ExistsAsync(path, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    private static async Task TryDeleteAsync(SftpClient client, string path)
    {
        try
        {
            await client.DeleteFileAsync(path, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (error is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Listings skip temporary names (they are not IDs), so a leftover is harmless.
        }
    }

    /// <summary>Runs one operation and turns SSH.NET's errors into the backend's vocabulary.</summary>
    private async Task<T> RunAsync<T>(SftpConnection.Session session, string what, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (SftpPathNotFoundException error)
        {
            throw new FileNotFoundException($"cannot {what}: it does not exist in {Location}", error);
        }
        catch (SftpPermissionDeniedException error)
        {
            throw new StorageException($"cannot {what} in {Location}: permission denied", error, permanent: true);
        }
        catch (Exception error) when (error is not (StorageException or OperationCanceledException) && IsConnectionLoss(session, error))
        {
            _connection.Forget(session);
            throw new StorageException($"the connection to {Location} was lost while trying to {what} ({error.Message}); the next attempt reconnects", error);
        }
        catch (SshException error)
        {
            throw new StorageException($"cannot {what} in {Location}: {error.Message}", error);
        }
    }

    /// <summary>
    /// Whether <paramref name="error"/> means the connection is gone or stuck. A request that times
    /// out gives the connection up too: a stuck connection is replaced rather than waited on again.
    /// </summary>
    private bool IsConnectionLoss(SftpConnection.Session session, Exception error) =>
        !session.IsConnected || !_connection.IsCurrent(session) ||
        error is SshConnectionException or SshOperationTimeoutException or SocketException or ObjectDisposedException or IOException;
}
