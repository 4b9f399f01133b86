// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Format;
using Haven.Format.Crypto;
using Haven.Format.Indexes;
using Haven.Format.Packs;
using Haven.Repository.Errors;
using Haven.Repository.Snapshots;
using Haven.Storage;

namespace Haven.Backup.Checking;

/// <summary>
/// Verifies a repository as restic 0.14's checker does: index files load, indexed packs exist with
/// the size their index entries imply, every snapshot and tree loads, every blob a tree names is
/// indexed, and with --read-data every pack's bytes. Problems are collected, never thrown, and each
/// names the damaged file and blob and the snapshot paths that lose content.
/// </summary>
public sealed class Checker
{
    private readonly Repository.Repository _repository;
    private readonly List<CheckProblem> _problems = [];
    private readonly HashSet<BlobHandle> _damaged = [];

    /// <param name="repository">An open repository whose index is not loaded yet: the checker loads it file by file.</param>
    public Checker(Repository.Repository repository)
    {
        _repository = repository;
    }

    public CheckStatus Status { get; } = new();

    public async Task<CheckResult> RunAsync(CheckOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var packs = _repository.Index.ListedPacks();
        Status.Phase = "packs";
        var stored = new Dictionary<Id, long>();
        await foreach (var file in _repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            stored[Id.Parse(file.Name)] = file.Size;
        }

        CheckPackSizes(packs, stored);
        int packsRead = 0;
        if (options.ReadData || options.Subset is not null)
        {
            Status.Phase = "read data";
            var present = packs.Where(stored.ContainsKey).ToList();
            var chosen = options.Subset?.Select(present, options.Random) ?? [.. present.Order()];
            packsRead = chosen.Count;
            await ReadPacksAsync(chosen, stored, cancellationToken).ConfigureAwait(false);

            // The read windows and plaintext buffers are dead now, and so is the garbage of every pack: an aggressive
            // collection returns that memory to the system before the snapshot walk allocates its trees, so the two
            // phases' memory does not add up (a few milliseconds).
            FreedMemory.ReturnToSystem();
        }

        Status.Phase = "snapshots";
        var walker = new StructureWalker(_repository, _damaged, _problems);
        var roots = new List<(Id Snapshot, Id Tree)>();
        foreach (var id in (await _repository.ListIdsAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false)).Order())
        {
            try
            {
                var snapshot = await SnapshotCatalog.LoadAsync(_repository, id, cancellationToken).ConfigureAwait(false);
                roots.Add((id, snapshot.Tree));
                await walker.VisitAsync(snapshot.Tree, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is DamagedDataException or FormatException or InvalidDataException)
            {
                _problems.Add(new CheckProblem(CheckProblemKind.DamagedSnapshot, $"snapshot {id} cannot be loaded: {error.Message}") { Snapshot = id });
            }
        }

        var tracer = new DamageTracer(walker);
        foreach (var (snapshot, tree) in roots)
        {
            await tracer.TraceAsync(snapshot, tree, cancellationToken).ConfigureAwait(false);
        }

        foreach (var problem in _problems)
        {
            foreach (var blob in problem.Blobs)
            {
                if (tracer.Affected.TryGetValue(blob, out var paths))
                {
                    problem.Affected.AddRange(paths.Where(p => !problem.Affected.Contains(p)));
                }
            }
        }

        return new CheckResult(_problems, roots.Count, walker.TreesVisited, stored.Count, packsRead);
    }

    /// <summary>
    /// Loads each index file on its own, so a damaged one is named and the rest still count. The
    /// master index keeps every pack's listing, so the checker needs no per-blob table of its own.
    /// </summary>
    private async Task LoadIndexAsync(CancellationToken cancellationToken)
    {
        foreach (var id in (await _repository.ListIdsAsync(FileType.Index, cancellationToken).ConfigureAwait(false)).Order())
        {
            IndexFile file;
            try
            {
                file = IndexFile.Parse(await _repository.LoadUnpackedAsync(FileType.Index, id, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception error) when (error is DamagedDataException or FormatException or InvalidDataException)
            {
                _problems.Add(new CheckProblem(CheckProblemKind.DamagedIndex, $"index {id} cannot be loaded: {error.Message}") { Index = id });
                continue;
            }

            _repository.Index.Add(file);
        }
    }

    private void CheckPackSizes(IReadOnlyList<Id> packs, Dictionary<Id, long> stored)
    {
        foreach (var id in packs.Order())
        {
            var blobs = _repository.Index.PackBlobs(id);
            if (!stored.TryGetValue(id, out long size))
            {
                _problems.Add(new CheckProblem(CheckProblemKind.MissingPack, $"pack {id} is in the index but does not exist") { Pack = id, Blobs = [.. blobs.Select(b => b.Handle)] });
                _damaged.UnionWith(blobs.Select(b => b.Handle));
                continue;
            }

            long expected = MasterKey.Overhead + 4L + blobs.Sum(b => (long)b.Length + PackHeader.EntrySize(b.IsCompressed));
            if (size != expected)
            {
                _problems.Add(new CheckProblem(CheckProblemKind.PackSize, $"pack {id} has {size} bytes, but its index entries imply {expected}") { Pack = id });
            }
        }

        var listed = packs.ToHashSet();
        foreach (var id in stored.Keys.Where(id => !listed.Contains(id)).Order())
        {
            _problems.Add(new CheckProblem(CheckProblemKind.PackNotIndexed, $"pack {id} is not in any index; 'haven repair index' adds it") { Pack = id });
        }
    }

    private async Task ReadPacksAsync(List<Id> chosen, Dictionary<Id, long> stored, CancellationToken cancellationToken)
    {
        Status.PacksToRead = chosen.Count;
        Status.BytesToRead = chosen.Sum(id => stored[id]);
        var found = new ConcurrentDictionary<Id, List<CheckProblem>>();
        var buffers = new ConcurrentBag<PackVerifier.Buffers>();
        var plaintexts = new ConcurrentBag<byte[]>();
        await Parallel.ForEachAsync(chosen, new ParallelOptions { MaxDegreeOfParallelism = PackVerifier.PacksAtOnce, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            var mine = buffers.TryTake(out var free) ? free : new PackVerifier.Buffers(plaintexts);
            found[id] = await PackVerifier.VerifyAsync(_repository, id, stored[id], _repository.Index.PackBlobs(id), mine, ct).ConfigureAwait(false);
            buffers.Add(mine);
            Status.AddPack(stored[id]);
        }).ConfigureAwait(false);
        foreach (var id in chosen)
        {
            foreach (var problem in found[id])
            {
                _problems.Add(problem);
                _damaged.UnionWith(problem.Blobs);
            }
        }
    }
}
