// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Repository.Indexing;

/// <summary>
/// The master index's storage, not thread-safe on its own. Entries are appended to fixed-size
/// chunks (48 bytes each; the first chunk starts small and doubles, the others are allocated whole,
/// so growing never copies more than one chunk), and an open-addressing hash table of entry
/// numbers (4 bytes per slot, load factor 1/4 to 1/2) finds the first entry of each blob. A
/// blob's later entries (copies in other packs) are stored, marked as duplicates, but never
/// returned by a lookup. About 56 to 64 bytes per blob in all, with nothing per blob on the heap.
/// Entries once written never change, so a reader that took <see cref="Chunks"/> and
/// <see cref="EntryCount"/> can read them after the lock is released.
/// </summary>
internal sealed class BlobTable
{
    public const int ChunkShift = 14;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private const int FirstChunkSize = 64;

    private IndexEntry[][] _chunks = [];
    private int[] _buckets = new int[16];
    private int _mask = 15;

    /// <summary>Distinct blobs: the entries a lookup can return.</summary>
    public int Count { get; private set; }

    /// <summary>All entries, duplicates included.</summary>
    public int EntryCount { get; private set; }

    /// <summary>The entry storage: entry i is Chunks[i &gt;&gt; ChunkShift][i &amp; (2^ChunkShift - 1)].</summary>
    public IndexEntry[][] Chunks => _chunks;

    public long MemoryBytes => ((long)_buckets.Length * sizeof(int)) + _chunks.Sum(c => (long)c.Length * 48);

    public ref readonly IndexEntry this[int entry] => ref _chunks[entry >> ChunkShift][entry & ChunkMask];

    /// <summary>The number of the entry a lookup returns for <paramref name="handle"/>, or -1.</summary>
    public int Find(BlobHandle handle)
    {
        int bucket = handle.Id.GetHashCode() & _mask;
        bool tree = handle.Type == BlobType.Tree;
        while (true)
        {
            int entry = _buckets[bucket] - 1;
            if (entry < 0)
            {
                return -1;
            }

            ref readonly var candidate = ref this[entry];
            if (candidate.Id == handle.Id && candidate.IsTree == tree)
            {
                return entry;
            }

            bucket = (bucket + 1) & _mask;
        }
    }

    /// <summary>Appends an entry; returns false when the blob was known already (the entry is kept as a duplicate).</summary>
    public bool Append(BlobHandle handle, int pack, uint offset, uint length, uint uncompressedLength)
    {
        if ((Count + 1) * 2L > _buckets.Length)
        {
            Rehash(_buckets.Length * 2);
        }

        int bucket = handle.Id.GetHashCode() & _mask;
        bool tree = handle.Type == BlobType.Tree;
        bool duplicate = false;
        while (_buckets[bucket] != 0)
        {
            ref readonly var candidate = ref this[_buckets[bucket] - 1];
            if (candidate.Id == handle.Id && candidate.IsTree == tree)
            {
                duplicate = true;
                break;
            }

            bucket = (bucket + 1) & _mask;
        }

        int number = EntryCount;
        Slot(number) = new IndexEntry(handle, pack, offset, length, uncompressedLength, duplicate);
        EntryCount++;
        if (!duplicate)
        {
            _buckets[bucket] = number + 1;
            Count++;
        }

        return !duplicate;
    }

    private ref IndexEntry Slot(int number)
    {
        int chunk = number >> ChunkShift;
        int offset = number & ChunkMask;
        if (chunk == _chunks.Length)
        {
            // A new array of chunk references, so readers holding the old one are not disturbed.
            var chunks = new IndexEntry[chunk + 1][];
            Array.Copy(_chunks, chunks, chunk);
            chunks[chunk] = new IndexEntry[chunk == 0 ? FirstChunkSize : ChunkSize];
            _chunks = chunks;
        }
        else if (offset == _chunks[chunk].Length)
        {
            // Only the first chunk grows; the copy is complete before readers can see it.
            var grown = new IndexEntry[Math.Min(ChunkSize, offset * 2)];
            Array.Copy(_chunks[chunk], grown, offset);
            var chunks = (IndexEntry[][])_chunks.Clone();
            chunks[chunk] = grown;
            _chunks = chunks;
        }

        return ref _chunks[chunk][offset];
    }

    private void Rehash(int size)
    {
        _buckets = new int[size];
        _mask = size - 1;
        for (int number = 0; number < EntryCount; number++)
        {
            ref readonly var entry = ref this[number];
            if (entry.IsDuplicate)
            {
                continue;
            }

            int bucket = entry.Id.GetHashCode() & _mask;
            while (_buckets[bucket] != 0)
            {
                bucket = (bucket + 1) & _mask;
            }

            _buckets[bucket] = number + 1;
        }
    }
}
