// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Pruning;

/// <summary>
/// The blobs prune found in use, with a few bits of bookkeeping each, in an open-addressing hash
/// table of parallel arrays: 32 bytes of ID plus one state byte per slot (33 bytes), nothing per entry on the
/// heap. The table is sized once from the number of blobs in the index (which bounds the blobs in
/// use) at a load factor between 3/8 and 3/4, so it costs 44 to 88 bytes per used blob (plus a brief 1.5x while it grows, which only happens when snapshots name blobs the index lacks); a
/// HashSet&lt;BlobHandle&gt; would cost about 56 plus its growth slack, a Dictionary more. IDs are
/// SHA-256 hashes, so their first bytes are a good hash and probing stays short.
/// </summary>
internal sealed class BlobUseTable
{
    // State byte: bit 0 occupied, bit 1 tree blob, bit 2 listed more than once by the index,
    // bit 3 duplicates resolved, bit 4 stored in a kept pack or already copied, bits 5-7 how many
    // index entries are still to decide on (saturating at 7: a pack choice that is not optimal, never wrong).
    private const byte Occupied = 1;
    private const byte TreeBit = 2;
    private const byte DuplicateBit = 4;
    private const byte ResolvedBit = 8;
    private const byte StoredBit = 16;
    private const int CountShift = 5;
    private const int MaxCount = 7;
    private const byte FlagMask = (1 << CountShift) - 1;

    private Id[] _ids;
    private byte[] _states;
    private int _mask;

    public BlobUseTable(int expectedBlobs)
    {
        int capacity = 16;
        while (capacity < (long)expectedBlobs * 4 / 3 + 1)
        {
            capacity *= 2;
        }

        _ids = new Id[capacity];
        _states = new byte[capacity];
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    /// <summary>Bytes the table holds: what prune's used-blob set costs.</summary>
    public long MemoryBytes => ((long)_ids.Length * Id.Size) + _states.Length;

    /// <summary>Adds a blob; false when it was already there (a tree seen before is not walked again).</summary>
    public bool Add(BlobHandle handle)
    {
        int slot = Find(handle);
        if ((_states[slot] & Occupied) != 0)
        {
            return false;
        }

        if ((Count + 1) * 4L > _ids.Length * 3L)
        {
            Grow();
            slot = Find(handle);
        }

        _ids[slot] = handle.Id;
        _states[slot] = (byte)(Occupied | (handle.Type == BlobType.Tree ? TreeBit : 0));
        Count++;
        return true;
    }

    public bool Contains(BlobHandle handle) => (_states[Find(handle)] & Occupied) != 0;

    /// <summary>How many index entries of this used blob were counted (or are left to decide on); 0 when not in use.</summary>
    public int Copies(BlobHandle handle) => _states[Find(handle)] >> CountShift;

    public void SetCopies(BlobHandle handle, int count)
    {
        ref byte state = ref _states[Find(handle)];
        state = (byte)((state & FlagMask) | (Math.Clamp(count, 0, MaxCount) << CountShift));
    }

    /// <summary>Counts one more index entry of a used blob; returns the new count, or 0 when the blob is not in use.</summary>
    public int CountIndexEntry(BlobHandle handle)
    {
        ref byte state = ref _states[Find(handle)];
        if ((state & Occupied) == 0)
        {
            return 0;
        }

        int count = Math.Min(MaxCount, (state >> CountShift) + 1);
        state = (byte)((state & FlagMask) | (count << CountShift));
        if (count > 1)
        {
            state |= DuplicateBit;
        }

        return count;
    }

    public bool IsDuplicate(BlobHandle handle) => Has(handle, DuplicateBit);

    public bool IsResolved(BlobHandle handle) => Has(handle, ResolvedBit);

    public void MarkResolved(BlobHandle handle) => Set(handle, ResolvedBit);

    public bool IsStored(BlobHandle handle) => Has(handle, StoredBit);

    /// <summary>Marks a used blob as safe: a copy is in a kept pack or in a new one. Ignored for blobs not in use.</summary>
    public void MarkStored(BlobHandle handle) => Set(handle, StoredBit);

    /// <summary>Used blobs that no index entry lists: the repository lacks data.</summary>
    public IEnumerable<BlobHandle> MissingFromIndex() => Select(missingFromIndex: true);

    /// <summary>Used blobs that neither a kept pack nor a new pack holds.</summary>
    public IEnumerable<BlobHandle> NotStored() => Select(missingFromIndex: false);

    private IEnumerable<BlobHandle> Select(bool missingFromIndex)
    {
        for (int i = 0; i < _states.Length; i++)
        {
            byte state = _states[i];
            if ((state & Occupied) == 0)
            {
                continue;
            }

            bool match = missingFromIndex ? state >> CountShift == 0 : (state & StoredBit) == 0;
            if (match)
            {
                yield return new BlobHandle(_ids[i], (state & TreeBit) != 0 ? BlobType.Tree : BlobType.Data);
            }
        }
    }

    private bool Has(BlobHandle handle, byte flag) => (_states[Find(handle)] & flag) != 0;

    private void Set(BlobHandle handle, byte flag)
    {
        ref byte state = ref _states[Find(handle)];
        if ((state & Occupied) != 0)
        {
            state |= flag;
        }
    }

    private int Find(BlobHandle handle)
    {
        byte type = handle.Type == BlobType.Tree ? TreeBit : (byte)0;
        int slot = handle.Id.GetHashCode() & _mask;
        while (true)
        {
            byte state = _states[slot];
            if ((state & Occupied) == 0 || ((state & TreeBit) == type && _ids[slot] == handle.Id))
            {
                return slot;
            }

            slot = (slot + 1) & _mask;
        }
    }

    private void Grow()
    {
        var ids = _ids;
        var states = _states;
        _ids = new Id[ids.Length * 2];
        _states = new byte[states.Length * 2];
        _mask = _ids.Length - 1;
        for (int i = 0; i < ids.Length; i++)
        {
            if ((states[i] & Occupied) != 0)
            {
                var handle = new BlobHandle(ids[i], (states[i] & TreeBit) != 0 ? BlobType.Tree : BlobType.Data);
                int slot = Find(handle);
                _ids[slot] = ids[i];
                _states[slot] = states[i];
            }
        }
    }
}
