// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using Haven.Format;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Archiving;

/// <summary>
/// The archiver's side of an <see cref="IConsistentContentSource"/>: asks it about a file by its
/// first bytes and stores its consistent copy, or reports why there is none.
/// </summary>
internal sealed class ConsistentFileSaver
{
    private readonly IConsistentContentSource _source;
    private readonly FileContentSaver _contentSaver;
    private readonly Action<string, string> _warn;
    private readonly Task _lockSettled;

    /// <param name="lockSettled">Completes once the repository lock has settled: no copy is made before (the walk may run while it settles).</param>
    public ConsistentFileSaver(IConsistentContentSource source, FileContentSaver contentSaver, Action<string, string> warn, Task lockSettled)
    {
        _source = source;
        _contentSaver = contentSaver;
        _warn = warn;
        _lockSettled = lockSettled;
    }

    /// <summary>Whether the source copies the open file at <paramref name="path"/>; reads its first bytes.</summary>
    public bool Claims(string path, SafeFileHandle file)
    {
        byte[] header = ArrayPool<byte>.Shared.Rent(_source.HeaderLength);
        try
        {
            int length = RandomAccess.Read(file, header.AsSpan(0, _source.HeaderLength), 0);
            return _source.Claims(path, header.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    /// <summary>Whether a file given as a backup target has companions beside it on disk.</summary>
    public bool HasCompanionsOnDisk(string path, Func<string, bool> exists)
    {
        int slash = path.LastIndexOf('/');
        string directory = path[..(slash + 1)];
        return _source.CompanionNames(path[(slash + 1)..]).Any(name => exists(directory + name));
    }

    /// <summary>The stored copy's chunks and size; null, after a warning, when the source could make no copy.</summary>
    public async Task<(List<Id> Content, long Size)?> TrySaveAsync(string path, string accessPath, CancellationToken cancellationToken)
    {
        // A copy opens the application's database (a read transaction, a temporary file): only once
        // the backup is sure to go on. A conflicting lock cancels this wait and the backup with it.
        await _lockSettled.WaitAsync(cancellationToken).ConfigureAwait(false);
        ConsistentContent copy;
        try
        {
            copy = await _source.OpenAsync(accessPath, cancellationToken).ConfigureAwait(false);
        }
        catch (ConsistentReadException error)
        {
            _warn(path, $"{path}: {error.Message}; stored as it is on disk, which may not be consistent");
            return null;
        }

        await using (copy.ConfigureAwait(false))
        {
            return await _contentSaver.SaveAsync(copy.Content, cancellationToken).ConfigureAwait(false);
        }
    }
}
