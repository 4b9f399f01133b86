// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Format;
using Haven.Format.Indexes;
using Haven.Format.Packs;

namespace Haven.Repository.Indexing;

/// <summary>
/// Every blob the repository's index files know, with its location. Safe for concurrent reads and
/// adds. Packs are kept once in a table and entries refer to them by number, so an entry costs its
/// key plus 16 bytes. A blob stored in several packs keeps the first location seen: any copy will do.
/// </summary>
public sealed class MasterIndex
{
    private readonly ConcurrentDictionary<BlobHandle, Entry> _entries = new();
    private readonly List<Id> _packs = [];
    private readonly Dictionary<Id, int> _packNumbers = [];
    private readonly Lock _packGate = new();

    public int Count => _entries.Count;

    public int PackCount
    {
        get
        {
            lock (_packGate)
            {
                return _packs.Count;
            }
        }
    }

    public bool Contains(BlobHandle handle) => _entries.ContainsKey(handle);

    public bool TryGet(BlobHandle handle, out BlobLocation location)
    {
        if (_entries.TryGetValue(handle, out var entry))
        {
            Id pack;
            lock (_packGate)
            {
                pack = _packs[entry.Pack];
            }

            location = new BlobLocation(pack, entry.Offset, entry.Length, entry.UncompressedLength);
            return true;
        }

        location = default;
        return false;
    }

    public void Add(IndexFile file)
    {
        foreach (var pack in file.Packs)
        {
            AddPack(pack.PackId, pack.Blobs);
        }
    }

    public void AddPack(Id packId, IEnumerable<PackedBlob> blobs)
    {
        int number;
        lock (_packGate)
        {
            if (!_packNumbers.TryGetValue(packId, out number))
            {
                number = _packs.Count;
                _packs.Add(packId);
                _packNumbers.Add(packId, number);
            }
        }

        foreach (var blob in blobs)
        {
            _entries.TryAdd(blob.Handle, new Entry(number, blob.Offset, blob.Length, blob.UncompressedLength));
        }
    }

    /// <summary>Forgets every blob located in one of <paramref name="packIds"/> (a repair is about to replace those packs).</summary>
    public void RemovePacks(IReadOnlySet<Id> packIds)
    {
        ArgumentNullException.ThrowIfNull(packIds);
        foreach (var (handle, location) in Enumerate().ToList())
        {
            if (packIds.Contains(location.PackId))
            {
                _entries.TryRemove(handle, out _);
            }
        }
    }

    public IEnumerable<(BlobHandle Handle, BlobLocation Location)> Enumerate()
    {
        foreach (var (handle, entry) in _entries)
        {
            Id pack;
            lock (_packGate)
            {
                pack = _packs[entry.Pack];
            }

            yield return (handle, new BlobLocation(pack, entry.Offset, entry.Length, entry.UncompressedLength));
        }
    }

    private readonly record struct Entry(int Pack, uint Offset, uint Length, uint UncompressedLength);
}
