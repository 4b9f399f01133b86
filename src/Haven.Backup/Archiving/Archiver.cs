// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Backup.FileSystem;
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Format.Diagnostics;
using Haven.Format.Json;
using Haven.Format.Snapshots;
using Haven.Format.Trees;
using Haven.Repository;
using Haven.Repository.Diagnostics;
using Haven.Repository.Locking;
using Haven.Repository.Snapshots;
using Haven.Repository.Writing;

namespace Haven.Backup.Archiving;

/// <summary>
/// Backs up files into a snapshot. Holds a shared lock for the whole run; data and trees are made
/// durable (packs, then index) before the snapshot that refers to them is written, so an
/// interruption at any point leaves the repository valid and earlier snapshots untouched.
/// </summary>
public sealed class Archiver
{
    private readonly Repository.Repository _repository;
    private readonly LocalFileSystem _fileSystem;
    private readonly Action<BackupWarning>? _onWarning;

    public Archiver(Repository.Repository repository, LocalFileSystem fileSystem, Action<BackupWarning>? onWarning = null)
    {
        _repository = repository;
        _fileSystem = fileSystem;
        _onWarning = onWarning;
    }

    public BackupStatus Status { get; } = new();

    public async Task<BackupResult> RunAsync(BackupOptions options, CancellationToken cancellationToken)
    {
        var time = _repository.Options.Time;
        long started = time.GetTimestamp();
        var startedAt = time.GetLocalNow();
        string hostname = options.Hostname ?? _repository.Options.Identity.Hostname;
        var streams = StreamsOf(options);
        var targets = TargetTree.Build(options.Paths, streams);
        List<string> paths = [.. options.Paths, .. streams.Select(stream => stream.SnapshotPath)];
        Id? parentId = null;
        Snapshot? parent = null;

        // Blobs are packed from the start, but no pack is stored before the lock has settled without
        // a conflict: until then the backup has only read from the repository.
        var lockSettled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IBlobWriter writer = options.DryRun ? new DryRunBlobWriter(_repository) : new BlobWriter(_repository, lockSettled.Task);
        var warnings = new ConcurrentQueue<BackupWarning>();
        using var archiveCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Files only: a dump starts a process, which waits for the lock. (A consistent copy of a
        // database found on the way waits for it too, in ConsistentFileSaver; the walk need not.)
        bool walkWhileSettling = streams.Count == 0;
        Task<Id>? archive = null;
        RepositoryLock repositoryLock;
        try
        {
            // The index and the parent snapshot load while the lock settles, and the walk starts
            // there as soon as they are in: an unchanged backup is mostly done by the time the lock is.
            repositoryLock = await RepositoryLock.AcquireAsync(
                _repository,
                exclusive: false,
                async ct =>
                {
                    Task index = _repository.LoadIndexAsync(ct);
                    (parentId, parent) = await FindParentAsync(options, hostname, paths, ct).ConfigureAwait(false);
                    await index.ConfigureAwait(false);
                    if (walkWhileSettling)
                    {
                        archive = ArchiveAsync(writer, options, targets, parent, warnings, lockSettled.Task, archiveCancel.Token);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await archiveCancel.CancelAsync().ConfigureAwait(false);
            lockSettled.TrySetCanceled(archiveCancel.Token);
            if (archive is not null)
            {
                await ((Task)archive).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            throw;
        }

        await using var heldLock = repositoryLock;
        lockSettled.TrySetResult();
        Id rootTree = await (archive ?? ArchiveAsync(writer, options, targets, parent, warnings, lockSettled.Task, archiveCancel.Token)).ConfigureAwait(false);

        using (PhaseTimings.Measure("backup: last packs and index written"))
        {
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        StopPoint.Reach(StopPoint.SnapshotPending);

        var identity = _repository.Options.Identity;
        var snapshot = new Snapshot
        {
            Time = GoTimestamp.FromDateTimeOffset(options.Time ?? startedAt),
            Parent = parentId,
            Tree = rootTree,
            Paths = [.. paths],
            Hostname = hostname,
            Username = identity.Username,
            Uid = identity.Uid,
            Gid = identity.Gid,
            Tags = options.Tags.Count > 0 ? [.. options.Tags] : null,
            Excludes = options.ExcludeTexts.Count > 0 ? [.. options.ExcludeTexts] : null,
            ProgramVersion = ProgramInfo.Version,
        };
        long packed = writer is BlobWriter real ? real.BytesStored : 0;
        long treeBlobs = writer is BlobWriter counted ? counted.TreeBlobsAdded : 0;
        snapshot.Summary = SummaryFor(startedAt, time.GetLocalNow(), packed, treeBlobs);
        Id? snapshotId;
        using (PhaseTimings.Measure("backup: snapshot written"))
        {
            snapshotId = options.DryRun ? null : await SnapshotCatalog.SaveAsync(_repository, snapshot, cancellationToken).ConfigureAwait(false);
        }

        return new BackupResult(snapshotId, snapshot, parentId, Status, packed, treeBlobs, time.GetElapsedTime(started), [.. warnings]);
    }

    /// <summary>Walks and stores the sources; returns the root tree's ID once every blob is handed to the writer.</summary>
    private async Task<Id> ArchiveAsync(IBlobWriter writer, BackupOptions options, TargetTree targets, Snapshot? parent, ConcurrentQueue<BackupWarning> warnings, Task lockSettled, CancellationToken cancellationToken)
    {
        var time = _repository.Options.Time;
        using var scanCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var savers = new BlobSaverPool(writer, options.SaverConcurrency, cancellationToken);
        var polynomial = new Polynomial(_repository.Config.ChunkerPolynomial);
        Task scan = Task.CompletedTask;
        try
        {
            // Trees of another program (or another version of this one) may be encoded differently
            // from how this build encodes the same nodes, so only this version's are taken over.
            bool reuseParentTrees = options.ReuseParentTrees && parent?.ProgramVersion == ProgramInfo.Version;
            var walker = new TreeWalker(writer, _fileSystem, new NodeFactory(_fileSystem, time.LocalTimeZone, options.DeviceAliases), options, Status, savers, polynomial, warnings, _onWarning, time, _repository.Options.Identity, reuseParentTrees, lockSettled, cancellationToken);
            Tree? previousRoot = parent is null ? null : Tree.Parse(await writer.LoadBlobAsync(new BlobHandle(parent.Tree, BlobType.Tree), cancellationToken).ConfigureAwait(false));
            if (options.Paths.Count > 0 && options.CountTotals)
            {
                scan = Task.Run(() => new SourceScanner(_fileSystem, options, Status).Scan(scanCancel.Token), scanCancel.Token);
            }


            Id rootTree;
            using (PhaseTimings.Measure("backup: walk, read, chunk and hash (until the root tree)"))
            {
                rootTree = await walker.ArchiveRootAsync(targets, previousRoot, parent?.Tree).ConfigureAwait(false);
            }

            using (PhaseTimings.Measure("backup: savers drained after the walk"))
            {
                await savers.CompleteAsync().ConfigureAwait(false);
            }

            walker.RecordTimings();
            return rootTree;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // A saver failed and closed the queue: its error, not the closed queue, is what went wrong.
            await savers.CompleteAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            await scanCancel.CancelAsync().ConfigureAwait(false);
            await scan.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static List<StreamSource> StreamsOf(BackupOptions options)
    {
        var streams = new List<StreamSource>(options.Streams);
        if (options.Stdin is { } stdin)
        {
            // 0644 is what restic records for a file read from standard input.
            streams.Add(new StreamSource { SnapshotPath = "/" + stdin.FileName, Open = _ => Task.FromResult(stdin.Stream), Permissions = 0x1A4 });
        }

        return streams;
    }

    private async Task<(Id? Id, Snapshot? Snapshot)> FindParentAsync(BackupOptions options, string hostname, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (options.Force)
        {
            return (null, null);
        }

        if (options.Parent is Id explicitParent)
        {
            return (explicitParent, await SnapshotCatalog.LoadAsync(_repository, explicitParent, cancellationToken).ConfigureAwait(false));
        }

        var wanted = paths.Order(StringComparer.Ordinal).ToList();
        var all = await SnapshotCatalog.LoadAllAsync(_repository, cancellationToken).ConfigureAwait(false);
        for (int i = all.Count - 1; i >= 0; i--)
        {
            var (id, snapshot) = all[i];
            if (snapshot.Hostname == hostname && (snapshot.Paths ?? []).Order(StringComparer.Ordinal).SequenceEqual(wanted))
            {
                return (id, snapshot);
            }
        }

        return (null, null);
    }

    private SnapshotSummary SummaryFor(DateTimeOffset start, DateTimeOffset end, long packed, long treeBlobs) => new()
    {
        BackupStart = GoTimestamp.FromDateTimeOffset(start),
        BackupEnd = GoTimestamp.FromDateTimeOffset(end),
        FilesNew = (ulong)Status.FilesNew,
        FilesChanged = (ulong)Status.FilesChanged,
        FilesUnmodified = (ulong)Status.FilesUnmodified,
        DirsNew = (ulong)Status.DirsNew,
        DirsChanged = (ulong)Status.DirsChanged,
        DirsUnmodified = (ulong)Status.DirsUnmodified,
        DataBlobs = Status.DataBlobs,
        TreeBlobs = treeBlobs,
        DataAdded = (ulong)Status.DataAdded,
        DataAddedPacked = (ulong)packed,
        TotalFilesProcessed = (ulong)Status.FilesDone,
        TotalBytesProcessed = (ulong)Status.BytesDone,
    };
}
