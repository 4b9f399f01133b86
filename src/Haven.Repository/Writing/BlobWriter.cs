// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Diagnostics;
using Haven.Format.Packs;
using Haven.Storage;

namespace Haven.Repository.Writing;

/// <summary>
/// Collects new blobs into packs (data and tree blobs apart), uploads full packs with bounded
/// concurrency and records them in the index. Order is what keeps a crash harmless: a blob enters
/// the master index only after its pack is stored, and an index file is written only after every
/// pack it names is stored; a snapshot comes after <see cref="FlushAsync"/>. Packs are assembled
/// in unlinked temporary files (<see cref="SpooledPack"/>), so memory does not grow with the pack
/// size or the number of uploads in flight.
/// </summary>
public sealed class BlobWriter : IBlobWriter
{
    private readonly Repository _repository;
    private readonly Lock _gate = new();
    private readonly SpooledPack?[] _open = new SpooledPack?[2];
    private readonly HashSet<BlobHandle> _inFlight = [];

    // What CopyBlobAsync accepted, kept past its upload: a copied blob is in the index from the start
    // (in the pack it is copied out of), so the index cannot say whether this writer stored it already.
    private readonly HashSet<BlobHandle> _copied = [];
    private readonly SemaphoreSlim _uploadSlots;
    private readonly List<Task> _uploads = [];
    private readonly IndexWriter _indexWriter;
    private readonly Task _uploadsMayStart;

    /// <param name="repository">Where packs and index files go.</param>
    /// <param name="uploadsMayStart">
    /// Packs are filled before it completes but stored only after (a backup packs while its lock
    /// settles); when it is cancelled or fails, so is every upload.
    /// </param>
    public BlobWriter(Repository repository, Task? uploadsMayStart = null)
    {
        _repository = repository;
        _uploadsMayStart = uploadsMayStart ?? Task.CompletedTask;
        _uploadSlots = new SemaphoreSlim(repository.Options.UploadConcurrency);
        _indexWriter = new IndexWriter(repository);
    }

    /// <summary>Bytes of blobs added, before and after compression and encryption.</summary>
    public long BytesAdded => Interlocked.Read(ref _bytesAdded);

    public long BytesStored => Interlocked.Read(ref _bytesStored);

    public int DataBlobsAdded => _dataBlobs;

    public int TreeBlobsAdded => _treeBlobs;

    private long _bytesAdded;
    private long _bytesStored;
    private int _dataBlobs;
    private int _treeBlobs;

    public bool HasBlob(BlobHandle handle)
    {
        if (_repository.HasBlob(handle))
        {
            return true;
        }

        lock (_gate)
        {
            return _inFlight.Contains(handle);
        }
    }

    public Task<byte[]> LoadBlobAsync(BlobHandle handle, CancellationToken cancellationToken) => _repository.LoadBlobAsync(handle, cancellationToken);

    public Task<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken) =>
        SaveAsync(type, id, plaintext, skipIndexed: true, cancellationToken);

    /// <summary>
    /// Stores a blob into a new pack even though the index already knows it (prune moves the blobs
    /// still in use out of packs it is about to delete). Still stored at most once per writer.
    /// </summary>
    public Task<bool> CopyBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken) =>
        SaveAsync(type, id, plaintext, skipIndexed: false, cancellationToken);

    private async Task<bool> SaveAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, bool skipIndexed, CancellationToken cancellationToken)
    {
        var handle = new BlobHandle(id, type);
        if (skipIndexed && _repository.HasBlob(handle))
        {
            return false;
        }

        lock (_gate)
        {
            // Asked again under the lock: an upload that finished since the check above has put the
            // blob into the index (or, for a copy, into the copied set) before taking it out of the
            // in-flight set, so one of the two knows it.
            bool stored = skipIndexed ? _repository.HasBlob(handle) : _copied.Contains(handle);
            if (stored || !_inFlight.Add(handle))
            {
                return false;
            }

            if (!skipIndexed)
            {
                _copied.Add(handle);
            }
        }

        byte[] sealedBuffer = BlobBuffers.Pool.Rent(BlobCodec.SealedBound(plaintext.Length, compress: true));
        SpooledPack? full = null;
        try
        {
            int sealedLength = BlobCodec.Seal(_repository.Key, plaintext.Span, compress: true, sealedBuffer, out uint uncompressedLength);
            Interlocked.Add(ref _bytesAdded, plaintext.Length);
            Interlocked.Add(ref _bytesStored, sealedLength);
            Interlocked.Increment(ref type == BlobType.Tree ? ref _treeBlobs : ref _dataBlobs);

            long started = StageClock.Start();
            lock (_gate)
            {
                var pack = _open[(int)type] ??= new SpooledPack(_repository.Key, _repository.Backend, _repository.Options.TemporaryDirectory);
                pack.Add(handle, sealedBuffer.AsSpan(0, sealedLength), uncompressedLength);
                if (pack.Length >= _repository.Options.PackSize)
                {
                    full = pack;
                    _open[(int)type] = null;
                }
            }

            StageClock.Stop(Stage.Pack, started, sealedLength);
        }
        finally
        {
            BlobBuffers.Pool.Return(sealedBuffer);
        }

        if (full is not null)
        {
            await StartUploadAsync(full, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var rest = new List<SpooledPack>();
        lock (_gate)
        {
            for (int i = 0; i < _open.Length; i++)
            {
                if (_open[i] is { Count: > 0 } pack)
                {
                    rest.Add(pack);
                }

                _open[i] = null;
            }
        }

        foreach (var pack in rest)
        {
            await StartUploadAsync(pack, cancellationToken).ConfigureAwait(false);
        }

        Task[] pending;
        lock (_gate)
        {
            pending = [.. _uploads];
            _uploads.Clear();
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        await _indexWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task StartUploadAsync(SpooledPack pack, CancellationToken cancellationToken)
    {
        // Waiting for a slot here is the back-pressure that bounds the temporary files: at most
        // UploadConcurrency finished packs plus one open pack per type exist at once.
        try
        {
            await _uploadsMayStart.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _uploadSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            pack.Dispose();
            throw;
        }

        lock (_gate)
        {
            // An upload that failed (disk full, backend gone) stops the backup now, not at the final flush.
            if (_uploads.Find(t => t.IsFaulted) is { } failed)
            {
                _uploadSlots.Release();
                pack.Dispose();
                failed.GetAwaiter().GetResult();
            }
        }

        var upload = Task.Run(() => UploadAsync(pack, cancellationToken), CancellationToken.None);
        lock (_gate)
        {
            _uploads.RemoveAll(t => t.IsCompletedSuccessfully);
            _uploads.Add(upload);
        }
    }

    private async Task UploadAsync(SpooledPack pack, CancellationToken cancellationToken)
    {
        try
        {
            var (id, blobs) = await pack.FinishAsync(cancellationToken).ConfigureAwait(false);
            long started = StageClock.Start();
            await _repository.Backend.SaveFileAsync(FileHandle.For(FileType.Pack, id), pack.File, pack.Length, cancellationToken).ConfigureAwait(false);
            StopPoint.Reach(StopPoint.PackStored);
            _repository.Index.AddPack(id, blobs);
            lock (_gate)
            {
                foreach (var blob in blobs)
                {
                    _inFlight.Remove(blob.Handle);
                }
            }

            await _indexWriter.AddAsync(id, blobs, cancellationToken).ConfigureAwait(false);
            StageClock.Stop(Stage.Write, started, pack.Length);
        }
        finally
        {
            pack.Dispose();
            _uploadSlots.Release();
        }
    }
}
