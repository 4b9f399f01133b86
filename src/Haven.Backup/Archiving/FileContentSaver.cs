// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Format.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Archiving;

/// <summary>
/// Reads one file, cuts it into content-defined chunks and hashes them, handing each chunk to the
/// saver pool. Returns the chunk IDs in file order and the number of bytes read.
/// </summary>
internal sealed class FileContentSaver
{
    private const int ReadSize = 1 << 20;
    private const int WindowSize = Chunker.MaxSize + ReadSize;

    private readonly Polynomial _polynomial;
    private readonly BlobSaverPool _savers;
    private readonly BackupStatus _status;

    public FileContentSaver(Polynomial polynomial, BlobSaverPool savers, BackupStatus status)
    {
        _polynomial = polynomial;
        _savers = savers;
        _status = status;
    }

    /// <param name="file">The open file.</param>
    /// <param name="statusSize">Its size as lstat gave it: a short read that ends there is taken as
    /// the end, sparing most small files the read that would return 0. A file that grew is read on.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public Task<(List<Id> Content, long Size)> SaveAsync(SafeFileHandle file, long statusSize, CancellationToken cancellationToken)
    {
        long position = 0;
        bool endSeen = false;
        return SaveAsync(
            async (buffer, ct) =>
            {
                if (endSeen)
                {
                    return 0;
                }

                int n = await RandomAccess.ReadAsync(file, buffer, position, ct).ConfigureAwait(false);
                position += n;
                endSeen = n < buffer.Length && position == statusSize;
                return n;
            },
            cancellationToken);
    }

    public Task<(List<Id> Content, long Size)> SaveAsync(Stream stream, CancellationToken cancellationToken) =>
        SaveAsync((buffer, ct) => stream.ReadAsync(buffer, ct), cancellationToken);

    private async Task<(List<Id> Content, long Size)> SaveAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> read, CancellationToken cancellationToken)
    {
        var chunker = new Chunker(_polynomial);
        var content = new List<Id>();
        long offset = 0;

        // One working buffer per file; each chunk is copied out into a buffer of its own size, so
        // the chunks queued for the savers hold about their length, not MaxSize, of memory each.
        byte[] window = BlobBuffers.Pool.Rent(WindowSize);
        int start = 0;
        int filled = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (WindowSize - filled < ReadSize)
                {
                    // Move the uncut tail to the front only when the next read would not fit behind it
                    // (CopyTo handles the overlap); a chunk is at most MaxSize, so it then always fits.
                    window.AsSpan(start, filled - start).CopyTo(window);
                    filled -= start;
                    start = 0;
                }

                long started = StageClock.Start();
                int n = await read(window.AsMemory(filled, ReadSize), cancellationToken).ConfigureAwait(false);
                StageClock.Stop(Stage.Read, started, n);
                if (n == 0)
                {
                    break;
                }

                offset += n;
                _status.AddBytesRead(n);
                int scanFrom = filled;
                filled += n;
                while (scanFrom < filled)
                {
                    started = StageClock.Start();
                    int cut = chunker.FindCut(window.AsSpan(scanFrom, filled - scanFrom));
                    StageClock.Stop(Stage.Chunk, started, cut < 0 ? filled - scanFrom : cut);
                    if (cut < 0)
                    {
                        break;
                    }

                    int chunkEnd = scanFrom + cut;
                    await EmitAsync(content, window.AsSpan(start, chunkEnd - start)).ConfigureAwait(false);
                    start = chunkEnd;
                    scanFrom = chunkEnd;
                }
            }

            if (filled > start)
            {
                await EmitAsync(content, window.AsSpan(start, filled - start)).ConfigureAwait(false);
            }
        }
        finally
        {
            BlobBuffers.Pool.Return(window);
        }

        return (content, offset);
    }

    private ValueTask EmitAsync(List<Id> content, ReadOnlySpan<byte> chunk)
    {
        var id = Id.Hash(chunk);
        content.Add(id);
        if (_savers.IsKnown(BlobType.Data, id))
        {
            // Hash, then index lookup, then (only for new data) copy, queue and compress: a chunk the
            // repository has, as most are after a small change, is never copied or handed to a saver.
            return ValueTask.CompletedTask;
        }

        long started = StageClock.Start();
        byte[] buffer = BlobBuffers.Pool.Rent(chunk.Length);
        chunk.CopyTo(buffer);
        var queued = _savers.EnqueueAsync(BlobType.Data, id, buffer, chunk.Length, _status.OnDataBlobStored);
        return started == 0 ? queued : TimeQueueAsync(queued, started, chunk.Length);
    }

    /// <summary>The copy, and the wait while every saver is busy: a pipeline stall when it is long.</summary>
    private static async ValueTask TimeQueueAsync(ValueTask queued, long started, int length)
    {
        await queued.ConfigureAwait(false);
        StageClock.Stop(Stage.Queue, started, length);
    }
}
