// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Indexes;
using Haven.Format.Packs;

namespace Haven.Repository.Indexing;

/// <summary>
/// Every blob the repository's index files know, with its location, in a compact table (see
/// <see cref="BlobTable"/>: about 60 bytes per blob). Safe for concurrent reads and adds: lookups
/// share a reader-writer lock, adds take it for one pack at a time. A blob stored in several packs
/// keeps the first location seen for lookups (any copy will do), but every pack's full listing is
/// kept, so <see cref="PackBlobs"/> returns what the index says a pack holds. A pack listed again
/// (by a second index file) keeps its first listing.
/// </summary>
public sealed class MasterIndex
{
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.NoRecursion);
    private readonly List<Id> _packs = [];
    private readonly Dictionary<Id, int> _packNumbers = [];
    private readonly List<PackRange> _ranges = [];
    private BlobTable _table = new();

    public int Count => Read(() => _table.Count);

    /// <summary>Packs ever added, removed ones included.</summary>
    public int PackCount => Read(() => _packs.Count);

    /// <summary>Bytes the index's tables hold (excluding the per-pack table).</summary>
    public long MemoryBytes => Read(() => _table.MemoryBytes);

    public bool Contains(BlobHandle handle)
    {
        _gate.EnterReadLock();
        try
        {
            return _table.Find(handle) >= 0;
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    public bool TryGet(BlobHandle handle, out BlobLocation location)
    {
        _gate.EnterReadLock();
        try
        {
            int found = _table.Find(handle);
            if (found < 0)
            {
                location = default;
                return false;
            }

            ref readonly var entry = ref _table[found];
            location = new BlobLocation(_packs[entry.Pack], entry.Offset, entry.Length, entry.UncompressedLength);
            return true;
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    public void Add(IndexFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (var pack in file.Packs)
        {
            AddPack(pack.PackId, pack.Blobs);
        }
    }

    /// <summary>Adds every pack of an index file's JSON as it is parsed, without building the <see cref="IndexFile"/>.</summary>
    /// <exception cref="FormatException">The JSON is not an index; packs before the damage stay added.</exception>
    public IReadOnlyList<Id> AddJson(ReadOnlySpan<byte> json) => IndexFile.ParsePacks(json, AddPack);

    public void AddPack(Id packId, IEnumerable<PackedBlob> blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _gate.EnterWriteLock();
        try
        {
            if (!_packNumbers.TryGetValue(packId, out int number))
            {
                number = _packs.Count;
                if (number > IndexEntry.MaxPack)
                {
                    throw new InvalidOperationException($"the index cannot hold more than {IndexEntry.MaxPack} packs");
                }

                _packs.Add(packId);
                _packNumbers.Add(packId, number);
                _ranges.Add(PackRange.Unlisted);
            }
            else if (_ranges[number].IsListed)
            {
                return;
            }

            int start = _table.EntryCount;
            foreach (var blob in blobs)
            {
                _table.Append(blob.Handle, number, blob.Offset, blob.Length, blob.UncompressedLength);
            }

            _ranges[number] = new PackRange(start, _table.EntryCount - start);
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    /// <summary>
    /// Forgets every entry located in one of <paramref name="packIds"/> (a repair is about to replace
    /// those packs). A blob with a copy in another pack is then found there.
    /// </summary>
    public void RemovePacks(IReadOnlySet<Id> packIds)
    {
        ArgumentNullException.ThrowIfNull(packIds);
        _gate.EnterWriteLock();
        try
        {
            // Rebuilt in table order, so each remaining blob keeps the first location seen.
            var old = _table;
            var table = new BlobTable();
            var kept = new List<int>();
            for (int number = 0; number < _ranges.Count; number++)
            {
                if (_ranges[number].IsListed && packIds.Contains(_packs[number]))
                {
                    _ranges[number] = PackRange.Unlisted;
                }
                else if (_ranges[number].IsListed)
                {
                    kept.Add(number);
                }
            }

            kept.Sort((a, b) => _ranges[a].Start.CompareTo(_ranges[b].Start));
            foreach (int number in kept)
            {
                var range = _ranges[number];
                int start = table.EntryCount;
                for (int i = range.Start; i < range.Start + range.Count; i++)
                {
                    ref readonly var entry = ref old[i];
                    table.Append(entry.Handle, entry.Pack, entry.Offset, entry.Length, entry.UncompressedLength);
                }

                _ranges[number] = new PackRange(start, range.Count);
            }

            _table = table;
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    /// <summary>Every blob once, at the location lookups return. Sees the index as it was when enumeration began.</summary>
    public IEnumerable<(BlobHandle Handle, BlobLocation Location)> Enumerate()
    {
        var (chunks, count, packs) = Read(() => (_table.Chunks, _table.EntryCount, _packs.ToArray()));
        for (int i = 0; i < count; i++)
        {
            var entry = chunks[i >> BlobTable.ChunkShift][i & ((1 << BlobTable.ChunkShift) - 1)];
            if (!entry.IsDuplicate)
            {
                yield return (entry.Handle, new BlobLocation(packs[entry.Pack], entry.Offset, entry.Length, entry.UncompressedLength));
            }
        }
    }

    /// <summary>The packs added and not removed, in the order their IDs were first added.</summary>
    public IReadOnlyList<Id> ListedPacks() => Read(() => _packs.Where((_, number) => _ranges[number].IsListed).ToList());

    /// <summary>What the index lists for one pack, duplicates of blobs in other packs included; empty for a pack it does not list.</summary>
    public IReadOnlyList<PackedBlob> PackBlobs(Id packId) => Read(() =>
    {
        if (!_packNumbers.TryGetValue(packId, out int number) || !_ranges[number].IsListed)
        {
            return (IReadOnlyList<PackedBlob>)[];
        }

        var range = _ranges[number];
        var blobs = new List<PackedBlob>(range.Count);
        for (int i = range.Start; i < range.Start + range.Count; i++)
        {
            ref readonly var entry = ref _table[i];
            blobs.Add(new PackedBlob(entry.Handle, entry.Offset, entry.Length, entry.UncompressedLength));
        }

        return blobs;
    });

    private T Read<T>(Func<T> read)
    {
        _gate.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }
}
