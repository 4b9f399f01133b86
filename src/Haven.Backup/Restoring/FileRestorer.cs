// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Backup.FileSystem;
using Haven.Format;
using Haven.Format.Diagnostics;
using Haven.Format.Trees;
using Haven.Repository.Errors;
using Haven.Repository.Indexing;
using Haven.Storage;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Restoring;

/// <summary>
/// Writes regular files by pack, as restic's file restorer does: the files are planned first (which
/// blobs go where), then every pack is read once, in a few ranged reads, and each blob it holds is
/// written to all the places that need it. The reads run on a few workers, each holding at most one
/// read (a few MiB) at a time. Files are created at their first write and sized up front; all-zero blobs
/// are not written, so sparse files come back sparse. A file's metadata is set once its last blob is
/// written, on the descriptor of that write. A blob that cannot be read or does not check out fails its files: each is cut back to
/// the bytes before its first bad blob, so no wrong or zeroed byte stays. Names sharing an inode in
/// the snapshot come back as hard links to the first one restored.
/// </summary>
internal sealed class FileRestorer
{
    // Needed blobs of one pack this close together are read in one request: reading the gap costs
    // less than another request (a system call locally, a round trip remotely).
    private const int MaxGap = 1 << 20;

    // One read spans at most this much (a single larger blob is read alone), which bounds memory.
    private const int MaxRead = 4 << 20;

    private readonly Repository.Repository _repository;
    private readonly LocalFileSystem _fileSystem;
    private readonly MetadataWriter _metadata;
    private readonly RestoreStatus _status;
    private readonly RestoreOptions _options;
    private readonly Action<RestoreError> _report;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<Id, PlannedBlob> _blobs = [];
    private readonly Dictionary<Id, List<PlannedBlob>> _packs = [];
    private readonly List<TargetFile> _withoutBlobs = [];
    private readonly Dictionary<(ulong Device, ulong Inode), string> _linked = [];
    private readonly List<(string First, string Path, string AccessPath)> _pendingLinks = [];
    private readonly ConcurrentBag<WorkerBuffers> _buffers = [];
    private long _sealedTotal;
    private int _largestSealed;
    private int _largestPlaintext;

    public FileRestorer(Repository.Repository repository, LocalFileSystem fileSystem, MetadataWriter metadata, RestoreStatus status, RestoreOptions options, Action<RestoreError> report, CancellationToken cancellationToken)
    {
        _repository = repository;
        _fileSystem = fileSystem;
        _metadata = metadata;
        _status = status;
        _options = options;
        _report = report;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Plans the file at <paramref name="accessPath"/>; <paramref name="path"/> is how errors name it.</summary>
    public void Add(string path, string accessPath, Node node)
    {
        if (node.Links > 1)
        {
            if (_linked.TryGetValue((node.DeviceId, node.Inode), out string? first))
            {
                // Linked once every file is written.
                _pendingLinks.Add((first, path, accessPath));
                return;
            }

            _linked.Add((node.DeviceId, node.Inode), accessPath);
        }

        var file = new TargetFile(path, accessPath, node);
        long offset = 0;
        foreach (var id in node.Content ?? [])
        {
            if (!_blobs.TryGetValue(id, out var blob))
            {
                var handle = new BlobHandle(id, BlobType.Data);
                if (!_repository.Index.TryGet(handle, out var location))
                {
                    file.Fail(offset, $"blob {id} (data) is not in the index: the repository is missing data; run 'haven check'");
                    break;
                }

                blob = new PlannedBlob(handle, location);
                _blobs.Add(id, blob);
                if (!_packs.TryGetValue(location.PackId, out var packBlobs))
                {
                    packBlobs = [];
                    _packs.Add(location.PackId, packBlobs);
                }

                packBlobs.Add(blob);
                _sealedTotal += location.Length;
                _largestSealed = Math.Max(_largestSealed, (int)location.Length);
                _largestPlaintext = Math.Max(_largestPlaintext, (int)location.PlaintextLength);
            }

            blob.Targets.Add((file, offset));
            file.Pending++;
            offset += blob.Location.PlaintextLength;
        }

        file.Length = offset;

        // A file of one blob gets its size from its one write: no separate truncate.
        file.PresizeNeeded = file.Pending != 1;
        if (file.Pending == 0)
        {
            _withoutBlobs.Add(file);
        }
    }

    /// <summary>Writes every planned file, then the hard links.</summary>
    public async Task CompleteAsync()
    {
        foreach (var file in _withoutBlobs)
        {
            await FinishAsync(file).ConfigureAwait(false);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = _options.PackWorkers, CancellationToken = _cancellationToken };
        await Parallel.ForEachAsync(PlanReads(), options, async (read, _) => await RestoreRangeAsync(read).ConfigureAwait(false)).ConfigureAwait(false);

        foreach (var (first, path, accessPath) in _pendingLinks)
        {
            try
            {
                ExistingEntry.Remove(_fileSystem, accessPath);
                _fileSystem.CreateHardLink(first, accessPath);
                _status.CompleteFile();
            }
            catch (IOException error)
            {
                _report(new RestoreError(path, error.Message));
            }
        }
    }

    /// <summary>
    /// Cuts every pack into its ranged reads and orders them costliest first. The reads, not whole
    /// packs, are the workers' units: a restore often needs only a dozen packs, and a worker left
    /// alone with the last one (or with a pack of a thousand small files) kept the other core idle.
    /// Longest first leaves short reads for the end, so the workers finish together.
    /// </summary>
    private List<PackRead> PlanReads()
    {
        var reads = new List<PackRead>();
        foreach (var (packId, blobs) in _packs)
        {
            blobs.Sort((a, b) => a.Location.Offset.CompareTo(b.Location.Offset));
            int start = 0;
            while (start < blobs.Count)
            {
                long rangeStart = blobs[start].Location.Offset;
                long rangeEnd = rangeStart + blobs[start].Location.Length;
                long cost = Cost(blobs[start]);
                int end = start + 1;
                while (end < blobs.Count
                    && blobs[end].Location.Offset - rangeEnd <= MaxGap
                    && blobs[end].Location.Offset + blobs[end].Location.Length - rangeStart <= MaxRead)
                {
                    rangeEnd = Math.Max(rangeEnd, blobs[end].Location.Offset + blobs[end].Location.Length);
                    cost += Cost(blobs[end]);
                    end++;
                }

                reads.Add(new PackRead(packId, blobs, start, end, rangeStart, (int)(rangeEnd - rangeStart), cost));
                start = end;
            }
        }

        reads.Sort((a, b) => b.Cost.CompareTo(a.Cost));
        return reads;

        // Opening a blob costs about its size; every file it goes to adds a write and, for a
        // small file, a create, metadata and close that cost about as much as opening 8 KiB.
        static long Cost(PlannedBlob blob) => blob.Location.PlaintextLength + ((long)blob.Targets.Count * 8192);
    }

    private async Task RestoreRangeAsync(PackRead read)
    {
        var writer = new BlobWriter(this);
        var buffers = _buffers.TryTake(out var idle) ? idle : new WorkerBuffers(Math.Max(_largestSealed, (int)Math.Min(MaxRead, _sealedTotal)), _largestSealed, _largestPlaintext);
        List<TargetFile> finished;
        MappedRange? mapped = null;
        try
        {
            long started = StageClock.Start();
            var pack = FileHandle.For(FileType.Pack, read.PackId);
            mapped = _repository.Backend.TryMap(pack, read.RangeStart, read.RangeLength);
            if (mapped is null)
            {
                await _repository.Backend.ReadAsync(pack, read.RangeStart, buffers.SealedRange(read.RangeLength), _cancellationToken).ConfigureAwait(false);
            }

            StageClock.Stop(Stage.Read, started, read.RangeLength);
            finished = WriteBlobs(read, writer, buffers, mapped);
        }
        catch (IOException error)
        {
            // Also what a missing pack gives: every file needing these blobs fails, the others go on.
            finished = [];
            for (int i = read.Start; i < read.End; i++)
            {
                FailAll(read.Blobs[i], $"pack {read.PackId} cannot be read: {error.Message}", finished);
            }
        }
        finally
        {
            mapped?.Dispose();
            writer.Dispose();
            _buffers.Add(buffers);
        }

        await FinishAllAsync(finished).ConfigureAwait(false);
    }

    /// <summary>Opens each blob of the range, checks it and writes it everywhere it goes; returns the files that are now complete.</summary>
    private List<TargetFile> WriteBlobs(PackRead read, BlobWriter writer, WorkerBuffers buffers, MappedRange? mapped)
    {
        var finished = new List<TargetFile>();
        for (int i = read.Start; i < read.End; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var blob = read.Blobs[i];
            var location = blob.Location;
            int at = (int)(location.Offset - read.RangeStart);
            var content = buffers.Plaintext((int)location.PlaintextLength);
            try
            {
                if (mapped is null)
                {
                    _repository.OpenBlobInPlace(blob.Handle, location, buffers.Range.AsSpan(at, (int)location.Length), content);
                }
                else
                {
                    _repository.OpenBlob(blob.Handle, location, mapped.Span.Slice(at, (int)location.Length), buffers.Scratch((int)location.Length), content);
                }
            }
            catch (DamagedDataException error)
            {
                FailAll(blob, error.Message, finished);
                continue;
            }

            bool allZero = !content.ContainsAnyExcept((byte)0);
            foreach (var (file, offset) in blob.Targets)
            {
                writer.Write(file, offset, allZero ? default : content);
                _status.AddBytes(content.Length);
                if (file.CompleteBlob())
                {
                    writer.Finish(file);
                    finished.Add(file);
                }
            }
        }

        return finished;
    }

    private static void FailAll(PlannedBlob blob, string message, List<TargetFile> finished)
    {
        foreach (var (file, offset) in blob.Targets)
        {
            file.Fail(offset, message);
            if (file.CompleteBlob())
            {
                finished.Add(file);
            }
        }
    }

    private async Task FinishAllAsync(List<TargetFile> files)
    {
        foreach (var file in files)
        {
            await FinishAsync(file).ConfigureAwait(false);
        }
    }

    /// <summary>Runs when every blob of a file is written or failed: cuts a failed file back, else sets its metadata.</summary>
    private async Task FinishAsync(TargetFile file)
    {
        try
        {
            if (!file.Created)
            {
                // A file without blobs, or whose every blob failed, is still created.
                Create(file).Dispose();
            }

            if (file.Failure is { } failure)
            {
                if (file.FailedAt < file.Length)
                {
                    using var handle = _fileSystem.OpenWrite(file.AccessPath);
                    _fileSystem.Truncate(handle, file.FailedAt);
                }

                _report(new RestoreError(file.Path, failure));
                return;
            }

            if (!file.MetadataSet)
            {
                _metadata.Apply(file.AccessPath, file.Node);
            }

            _status.CompleteFile();
            if (_options.Verify)
            {
                await VerifyAsync(file.Path, file.AccessPath, file.Node).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or DamagedDataException)
        {
            _report(new RestoreError(file.Path, error.Message));
        }
    }

    /// <summary>Creates the file, empty and sized to its content (the unwritten parts read as zeros and take no space).</summary>
    private SafeFileHandle Create(TargetFile file)
    {
        _status.StartFile(file.Path);
        SafeFileHandle handle;
        try
        {
            handle = _fileSystem.CreateFile(file.AccessPath, 0x180);
        }
        catch (FileSystemException error) when (error.IsAlreadyExists)
        {
            // Whatever is there (an old file, or a symlink that could lead outside the target) gives way.
            ExistingEntry.Remove(_fileSystem, file.AccessPath);
            handle = _fileSystem.CreateFile(file.AccessPath, 0x180);
        }

        file.Created = true;
        long length = Math.Min(file.Length, file.FailedAt);
        if (length > 0 && file.PresizeNeeded)
        {
            _fileSystem.Truncate(handle, length);
        }

        return handle;
    }

    private async Task VerifyAsync(string path, string accessPath, Node node)
    {
        using SafeFileHandle file = _fileSystem.OpenRead(accessPath);
        long offset = 0;
        foreach (var id in node.Content ?? [])
        {
            if (!_repository.Index.TryGet(new BlobHandle(id, BlobType.Data), out var location))
            {
                throw new DamagedDataException($"verify {path}: blob {id} is not in the index");
            }

            var buffer = new byte[location.PlaintextLength];
            int read = await RandomAccess.ReadAsync(file, buffer, offset, _cancellationToken).ConfigureAwait(false);
            if (read != buffer.Length || Id.Hash(buffer) != id)
            {
                throw new DamagedDataException($"verify {path}: the {buffer.Length} bytes at offset {offset} do not match blob {id.ToShortString()}");
            }

            offset += read;
        }

        if (RandomAccess.GetLength(file) != offset)
        {
            throw new DamagedDataException($"verify {path}: the file is {RandomAccess.GetLength(file)} bytes, the snapshot says {offset}");
        }

        _status.CompleteVerify();
    }

    /// <summary>
    /// A worker's buffers, reused for every pack: kept per worker rather than per thread (as a shared
    /// pool would), so memory stays bounded however many threads run the work.
    /// </summary>
    private sealed class WorkerBuffers(int largestRange, int largestSealed, int largestPlaintext)
    {
        // Allocated at first use, at the largest size the plan needs, so never twice.
        private byte[] _range = [];
        private byte[] _plaintext = [];
        private byte[] _scratch = [];

        public byte[] Range => _range;

        public Memory<byte> SealedRange(int length) => Ensure(ref _range, length, largestRange).AsMemory(0, length);

        public Span<byte> Plaintext(int length) => Ensure(ref _plaintext, length, largestPlaintext).AsSpan(0, length);

        /// <summary>Where a compressed blob from a mapped pack is decrypted before it is decompressed.</summary>
        public Span<byte> Scratch(int length) => Ensure(ref _scratch, length, largestSealed).AsSpan(0, length);

        private static byte[] Ensure(ref byte[] buffer, int length, int largest)
        {
            if (buffer.Length < length)
            {
                buffer = GC.AllocateUninitializedArray<byte>(Math.Max(length, largest));
            }

            return buffer;
        }
    }

    /// <summary>One ranged read of a pack: blobs [Start, End) of the pack's blobs sorted by offset, and what restoring them costs.</summary>
    private sealed record PackRead(Id PackId, List<PlannedBlob> Blobs, int Start, int End, long RangeStart, int RangeLength, long Cost);

    /// <summary>One blob of one pack and every (file, offset) it is restored to.</summary>
    private sealed class PlannedBlob(BlobHandle handle, BlobLocation location)
    {
        public BlobHandle Handle { get; } = handle;

        public BlobLocation Location { get; } = location;

        public List<(TargetFile File, long Offset)> Targets { get; } = [];
    }

    /// <summary>A regular file being restored. Workers on different packs may write it at once.</summary>
    private sealed class TargetFile(string path, string accessPath, Node node)
    {
        private readonly Lock _gate = new();
        private int _pending;
        private long _failedAt = long.MaxValue;
        private string? _failure;
        private volatile bool _created;

        public string Path { get; } = path;

        public string AccessPath { get; } = accessPath;

        public Node Node { get; } = node;

        public long Length { get; set; }

        /// <summary>Whether owner, mode, xattrs and times are set already (through the descriptor of its last write).</summary>
        public bool MetadataSet { get; set; }

        /// <summary>Whether the file is sized when created; false when its single write sizes it.</summary>
        public bool PresizeNeeded { get; set; }

        /// <summary>Blobs not yet written or failed; set while planning, counted down by workers.</summary>
        public int Pending
        {
            get => Volatile.Read(ref _pending);
            set => _pending = value;
        }

        public bool Created
        {
            get => _created;
            set => _created = value;
        }

        /// <summary>Where the first bad blob starts; the file is cut back to it.</summary>
        public long FailedAt
        {
            get
            {
                lock (_gate)
                {
                    return _failedAt;
                }
            }
        }

        public string? Failure
        {
            get
            {
                lock (_gate)
                {
                    return _failure;
                }
            }
        }

        /// <summary>Serialises creation: the first writer creates the file, later ones open it.</summary>
        public Lock Gate => _gate;

        /// <summary>Counts one blob as done; true for the last one.</summary>
        public bool CompleteBlob() => Interlocked.Decrement(ref _pending) == 0;

        public void Fail(long offset, string message)
        {
            lock (_gate)
            {
                if (offset < _failedAt)
                {
                    _failedAt = offset;
                    _failure = message;
                }
            }
        }
    }

    /// <summary>A worker's writes: keeps the last file open, since a pack usually holds a file's blobs back to back.</summary>
    private sealed class BlobWriter(FileRestorer owner) : IDisposable
    {
        private TargetFile? _file;
        private SafeFileHandle? _handle;

        public void Write(TargetFile file, long offset, ReadOnlySpan<byte> content)
        {
            if (offset >= file.FailedAt)
            {
                // Cut off when the file finishes anyway.
                return;
            }

            try
            {
                long started = StageClock.Start();
                var handle = HandleFor(file);
                started = StageClock.Lap(Stage.Create, started);
                if (!content.IsEmpty)
                {
                    RandomAccess.Write(handle, content, offset);
                }
                else if (!file.PresizeNeeded)
                {
                    // The one blob is all zeros: the file is a hole of its length.
                    owner._fileSystem.Truncate(handle, file.Length);
                }

                StageClock.Stop(Stage.Write, started, content.Length);
            }
            catch (IOException error)
            {
                // A file that cannot be created fails whole.
                file.Fail(file.Created ? offset : 0, error.Message);
            }
        }

        /// <summary>
        /// The file is complete: if it is the one held open and nothing failed, sets its metadata
        /// through the open descriptor (else <see cref="FinishAsync"/> does it by path), and closes it.
        /// </summary>
        public void Finish(TargetFile file)
        {
            if (!ReferenceEquals(_file, file) || _handle is null)
            {
                return;
            }

            if (file.Failure is null)
            {
                try
                {
                    owner._metadata.Apply(_handle, file.Path, file.Node);
                    file.MetadataSet = true;
                }
                catch (IOException)
                {
                    // Left to the by-path attempt, which reports what still fails.
                }
            }

            Dispose();
        }

        public void Dispose()
        {
            _handle?.Dispose();
            _handle = null;
            _file = null;
        }

        private SafeFileHandle HandleFor(TargetFile file)
        {
            if (ReferenceEquals(_file, file) && _handle is not null)
            {
                return _handle;
            }

            Dispose();
            SafeFileHandle handle;
            lock (file.Gate)
            {
                handle = file.Created ? owner._fileSystem.OpenWrite(file.AccessPath) : owner.Create(file);
            }

            _file = file;
            _handle = handle;
            return handle;
        }
    }
}
