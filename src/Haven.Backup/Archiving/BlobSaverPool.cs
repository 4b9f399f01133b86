// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Threading.Channels;
using Haven.Format;
using Haven.Repository;

namespace Haven.Backup.Archiving;

/// <summary>
/// Compresses, encrypts and stores chunks on worker tasks, one per core, while file readers go on
/// chunking and hashing. The queue is bounded, so readers wait when the savers fall behind and
/// memory stays at (queue length + workers) chunk buffers whatever the size of the backup.
/// </summary>
internal sealed class BlobSaverPool : IAsyncDisposable
{
    private readonly Channel<Job> _queue;
    private readonly IBlobWriter _writer;
    private readonly Task[] _workers;
    private readonly CancellationToken _cancellationToken;

    public BlobSaverPool(IBlobWriter writer, int workers, CancellationToken cancellationToken)
    {
        _writer = writer;
        _cancellationToken = cancellationToken;
        _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(workers * 2) { SingleReader = false, SingleWriter = false });
        _workers = new Task[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = Task.Run(RunAsync, cancellationToken);
        }
    }

    /// <summary>
    /// Queues a chunk. The pool owns <paramref name="rentedBuffer"/> from here on and returns it to
    /// <see cref="BlobBuffers.Pool"/> once the chunk is stored. <paramref name="stored"/> is called with true
    /// when the blob was new.
    /// </summary>
    public ValueTask EnqueueAsync(BlobType type, Id id, byte[] rentedBuffer, int length, Action<bool, int>? stored)
    {
        return _queue.Writer.WriteAsync(new Job(type, id, rentedBuffer, length, stored), _cancellationToken);
    }

    /// <summary>Whether the repository, or this backup so far, has the blob: such a chunk costs only its hash.</summary>
    public bool IsKnown(BlobType type, Id id) => _writer.HasBlob(new BlobHandle(id, type));

    /// <summary>Waits until every queued chunk is stored; rethrows the first failure.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(_cancellationToken).ConfigureAwait(false))
        {
            try
            {
                bool added = await _writer.SaveBlobAsync(job.Type, job.Id, job.Buffer.AsMemory(0, job.Length), _cancellationToken).ConfigureAwait(false);
                job.Stored?.Invoke(added, job.Length);
            }
            catch
            {
                // One failed save ends the backup: stop accepting work so producers see the error too.
                _queue.Writer.TryComplete();
                throw;
            }
            finally
            {
                BlobBuffers.Pool.Return(job.Buffer);
            }
        }
    }

    private readonly record struct Job(BlobType Type, Id Id, byte[] Buffer, int Length, Action<bool, int>? Stored);
}
