// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Crypto;
using Haven.Format.Indexes;
using Haven.Format.Packs;
using Haven.Repository.Errors;

namespace Haven.Backup.Pruning;

/// <summary>
/// Decides each pack's fate as restic 0.14's prune does: packs with nothing in use are deleted,
/// fully used packs are kept, and the rest are repack candidates. Tree packs, mixed packs and packs
/// with uncompressed trees are repacked whenever they hold anything unused; data packs are
/// repacked, most wasteful first, until the unused space left is within --max-unused, and never
/// beyond --max-repack-size. Duplicated blobs count as used in one pack only.
/// </summary>
internal sealed class PackPlanner
{
    // restic: a pack header is a 4-byte length plus the sealed entries (32 bytes of crypto overhead).
    private const int HeaderOverhead = 4 + MasterKey.Overhead;

    private readonly Repository.Repository _repository;
    private readonly IndexScanner _scanner;
    private readonly BlobUseTable _used;
    private readonly Dictionary<Id, PackUse> _packs = [];
    private long _usedBlobs;
    private long _usedBytes;
    private long _duplicateBlobs;
    private long _duplicateBytes;
    private long _unusedBlobs;
    private long _unusedBytes;

    public PackPlanner(Repository.Repository repository, IndexScanner scanner, BlobUseTable used)
    {
        _repository = repository;
        _scanner = scanner;
        _used = used;
    }

    public async Task<PrunePlan> PlanAsync(PruneOptions options, CancellationToken cancellationToken)
    {
        await CountBlobsAsync(cancellationToken).ConfigureAwait(false);
        await MeasurePacksAsync(cancellationToken).ConfigureAwait(false);
        if (_duplicateBlobs > 0)
        {
            await AssignDuplicatesAsync(cancellationToken).ConfigureAwait(false);
        }

        return await DecideAsync(options, cancellationToken).ConfigureAwait(false);
    }

    private async Task CountBlobsAsync(CancellationToken cancellationToken)
    {
        await foreach (var pack in _scanner.PacksAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var blob in pack.Blobs)
            {
                switch (_used.CountIndexEntry(blob.Handle))
                {
                    case 0:
                        _unusedBlobs++;
                        _unusedBytes += blob.Length;
                        break;
                    case 1:
                        _usedBlobs++;
                        _usedBytes += blob.Length;
                        break;
                    default:
                        _duplicateBlobs++;
                        _duplicateBytes += blob.Length;
                        break;
                }
            }
        }

        var missing = _used.MissingFromIndex().Take(11).ToList();
        if (missing.Count > 0)
        {
            string list = string.Join(", ", missing.Take(10)) + (missing.Count > 10 ? ", ..." : string.Empty);
            throw new DamagedDataException($"blobs that snapshots use are not in the index ({list}): data is missing, so prune stops before changing anything; run 'restic check'");
        }
    }

    private async Task MeasurePacksAsync(CancellationToken cancellationToken)
    {
        await foreach (var pack in _scanner.PacksAsync(cancellationToken).ConfigureAwait(false))
        {
            var use = new PackUse(pack.PackId) { UsedBytes = HeaderOverhead };
            _packs[pack.PackId] = use;
            foreach (var blob in pack.Blobs)
            {
                use.UsedBytes += PackHeader.EntrySize(blob.IsCompressed);
                if (use.Type is null)
                {
                    use.Type = blob.Handle.Type;
                }
                else if (use.Type != blob.Handle.Type)
                {
                    use.Mixed = true;
                }

                use.UncompressedTree |= blob.Handle.Type == BlobType.Tree && !blob.IsCompressed;
                if (_used.IsDuplicate(blob.Handle))
                {
                    continue;
                }

                Count(use, blob, _used.Copies(blob.Handle) > 0);
            }
        }
    }

    private async Task AssignDuplicatesAsync(CancellationToken cancellationToken)
    {
        // restic's scheme: keep one copy of each duplicated blob, preferring a pack that holds other
        // used blobs anyway, else the last copy seen; every other copy counts as unused.
        await foreach (var pack in _scanner.PacksAsync(cancellationToken).ConfigureAwait(false))
        {
            var use = _packs[pack.PackId];
            foreach (var blob in pack.Blobs)
            {
                if (!_used.IsDuplicate(blob.Handle))
                {
                    continue;
                }

                int copies = _used.Copies(blob.Handle);
                if (_used.IsResolved(blob.Handle))
                {
                    Count(use, blob, used: false);
                }
                else if (use.UsedBlobs > 0 || copies <= 1)
                {
                    Count(use, blob, used: true);
                    _used.MarkResolved(blob.Handle);
                }
                else
                {
                    Count(use, blob, used: false);
                    _used.SetCopies(blob.Handle, copies - 1);
                }
            }
        }
    }

    private async Task<PrunePlan> DecideAsync(PruneOptions options, CancellationToken cancellationToken)
    {
        var unreferenced = new HashSet<Id>();
        var delete = new HashSet<Id>();
        var candidates = new List<PackUse>();
        long unreferencedBytes = 0, deleteBlobs = 0, deleteBytes = 0;
        int used = 0, partlyUsed = 0, unused = 0, keep = 0;
        bool v2 = _repository.Config.Version >= 2;
        await foreach (var file in _repository.Backend.ListAsync(FileType.Pack, cancellationToken).ConfigureAwait(false))
        {
            var id = Id.Parse(file.Name);
            if (!_packs.Remove(id, out var pack))
            {
                unreferenced.Add(id);
                unreferencedBytes += file.Size;
                continue;
            }

            if (pack.Size != file.Size && pack.UsedBlobs != 0)
            {
                throw new DamagedDataException($"pack {id} is {file.Size} bytes but the index describes {pack.Size}: the index does not match the pack; prune stops before changing anything");
            }

            if (pack.UsedBlobs == 0)
            {
                unused++;
            }
            else if (pack.UnusedBlobs == 0)
            {
                used++;
            }
            else
            {
                partlyUsed++;
            }

            bool mustCompress = v2 && pack.UncompressedTree;
            if (pack.UsedBlobs == 0)
            {
                delete.Add(id);
                deleteBlobs += pack.UnusedBlobs;
                deleteBytes += pack.UnusedBytes;
            }
            else if (pack.UnusedBlobs == 0 && !pack.Mixed && !mustCompress)
            {
                keep++;
            }
            else
            {
                pack.UncompressedTree = mustCompress;
                candidates.Add(pack);
            }
        }

        // What is left was named by the index but is not in data/.
        var missingUnneeded = new HashSet<Id>();
        foreach (var (id, pack) in _packs)
        {
            if (pack.UsedBlobs != 0)
            {
                throw new DamagedDataException($"pack {id} holds blobs in use but is missing from the repository; prune stops before changing anything; run 'restic check'");
            }

            missingUnneeded.Add(id);
            deleteBlobs += pack.UnusedBlobs;
            deleteBytes += pack.UnusedBytes;
        }

        // Trees (and mixed packs) first, then the packs with the most unused space per used byte.
        candidates.Sort((a, b) =>
        {
            if (a.IsDataOnly != b.IsDataOnly)
            {
                return a.IsDataOnly ? 1 : -1;
            }

            return ((UInt128)(ulong)b.UnusedBytes * (ulong)a.UsedBytes).CompareTo((UInt128)(ulong)a.UnusedBytes * (ulong)b.UsedBytes);
        });

        var repack = new HashSet<Id>();
        long repackBlobs = 0, repackBytes = 0, repackRemovedBlobs = 0, repackRemovedBytes = 0;
        ulong maxUnusedAfter = options.MaxUnused.MaxUnusedBytes((ulong)_usedBytes);
        foreach (var pack in candidates)
        {
            // restic compares unsigned; "0%" must never be reached, whatever the duplicates did to the sum.
            long unusedLeft = _unusedBytes - deleteBytes - repackRemovedBytes;
            bool reachedUnusedAfter = unusedLeft < 0 ? maxUnusedAfter > 0 : (ulong)unusedLeft < maxUnusedAfter;
            bool reachedRepackSize = repackBytes + pack.Size >= options.MaxRepackBytes;
            if (reachedRepackSize || (pack.IsDataOnly && !pack.UncompressedTree && reachedUnusedAfter))
            {
                keep++;
                continue;
            }

            repack.Add(pack.Id);
            repackBlobs += pack.UsedBlobs + pack.UnusedBlobs;
            repackBytes += pack.Size;
            repackRemovedBlobs += pack.UnusedBlobs;
            repackRemovedBytes += pack.UnusedBytes;
        }

        var stats = new PruneStats
        {
            UsedBlobs = _usedBlobs,
            UsedBytes = _usedBytes,
            DuplicateBlobs = _duplicateBlobs,
            DuplicateBytes = _duplicateBytes,
            UnusedBlobs = _unusedBlobs,
            UnusedBytes = _unusedBytes,
            UnreferencedBytes = unreferencedBytes,
            RepackBlobs = repackBlobs,
            RepackBytes = repackBytes,
            RepackRemovedBlobs = repackRemovedBlobs,
            RepackRemovedBytes = repackRemovedBytes,
            DeleteBlobs = deleteBlobs,
            DeleteBytes = deleteBytes,
            PacksUsed = used,
            PacksPartlyUsed = partlyUsed,
            PacksUnused = unused,
            PacksToKeep = keep,
            PacksToRepack = repack.Count,
            PacksToDelete = delete.Count,
            PacksUnreferenced = unreferenced.Count,
        };
        var plan = new PrunePlan { Stats = stats };
        plan.Unreferenced.UnionWith(unreferenced);
        plan.Delete.UnionWith(delete);
        plan.Repack.UnionWith(repack);
        plan.MissingUnneeded.UnionWith(missingUnneeded);
        return plan;
    }

    private static void Count(PackUse use, PackedBlob blob, bool used)
    {
        if (used)
        {
            use.UsedBlobs++;
            use.UsedBytes += blob.Length;
        }
        else
        {
            use.UnusedBlobs++;
            use.UnusedBytes += blob.Length;
        }
    }
}
