// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Haven.Format.Chunking;

/// <summary>
/// restic's content-defined chunker (restic/chunker v0.4.0): a Rabin fingerprint over a 64-byte
/// window cuts a chunk where the low 20 bits of the digest are zero, keeping chunks between
/// <see cref="MinSize"/> and <see cref="MaxSize"/>. Given the repository's polynomial it cuts exactly
/// where restic cuts, so both deduplicate against each other. Not thread-safe; one per stream.
/// </summary>
public sealed class Chunker
{
    public const int MinSize = 512 * 1024;
    public const int MaxSize = 8 * 1024 * 1024;

    private const int WindowSize = ChunkerTables.WindowSize;

    private readonly ChunkerTables _tables;
    private readonly byte[] _window = new byte[WindowSize];

    private int _windowPos;
    private ulong _digest;
    private int _count;
    private int _skip;

    /// <exception cref="ArgumentException">The polynomial's degree is outside 8..53.</exception>
    public Chunker(Polynomial polynomial)
    {
        _tables = ChunkerTables.For(polynomial);
        Reset();
    }

    /// <summary>Starts a new stream: the next byte given to <see cref="FindCut"/> opens a chunk.</summary>
    public void Reset()
    {
        Array.Clear(_window);

        // restic slides the byte 1 into the empty window: digest = (0·x^8 + 1) mod P = 1.
        _window[0] = 1;
        _windowPos = 1;
        _digest = 1;
        _count = 0;

        // The first MinSize − WindowSize bytes of a chunk cannot end it and do not reach the window.
        _skip = MinSize - WindowSize;
    }

    /// <summary>
    /// Scans <paramref name="data"/>, which continues the current chunk. Returns the number of bytes
    /// of <paramref name="data"/> up to and including the cut when the chunk ends inside it (the next
    /// chunk then starts right after), or -1 when all of it belongs to the current chunk. At the end
    /// of the stream whatever the caller has accumulated is the last chunk.
    /// </summary>
    public int FindCut(ReadOnlySpan<byte> data)
    {
        int start = 0;
        if (_skip > 0)
        {
            if (_skip >= data.Length)
            {
                _skip -= data.Length;
                _count += data.Length;
                return -1;
            }

            start = _skip;
            _count += _skip;
            _skip = 0;
        }

        // Chunk length after hashing data[i] is lengthBase + i + 1.
        int lengthBase = _count - start;
        int uncheckedEnd = Math.Min(data.Length, Math.Max(start, MinSize - 1 - lengthBase));
        int checkedEnd = Math.Min(data.Length, MaxSize - 1 - lengthBase);

        Hash(data, start, start, uncheckedEnd, stopOnCut: false);
        int cut = Hash(data, start, uncheckedEnd, checkedEnd, stopOnCut: true);
        if (cut < 0 && checkedEnd < data.Length)
        {
            // The byte that brings the chunk to MaxSize ends it whatever the digest says.
            cut = checkedEnd;
        }

        if (cut >= 0)
        {
            Reset();
            return cut + 1;
        }

        SaveWindow(data, start);
        _count = lengthBase + data.Length;
        return -1;
    }

    /// <summary>
    /// Slides data[from..to) into the hash; with <paramref name="stopOnCut"/> returns the index of the
    /// first byte after which the digest's low 20 bits are zero (that byte included), else -1.
    /// Bytes from <paramref name="hashStart"/> on were hashed in this call, so for an index at least
    /// WindowSize past it the outgoing byte is read from the input rather than the ring buffer.
    /// </summary>
    private int Hash(ReadOnlySpan<byte> data, int hashStart, int from, int to, bool stopOnCut)
    {
        ref byte input = ref MemoryMarshal.GetReference(data);
        ref ulong table = ref MemoryMarshal.GetArrayDataReference(_tables.All);
        ref byte window = ref MemoryMarshal.GetArrayDataReference(_window);
        int shift = _tables.Shift;
        ulong digest = _digest;
        int pos = _windowPos;

        // restic's own step. The digest stays below 2^deg, so digest >> shift < 256 stays in the row.
        int i = from;
        for (int ringEnd = Math.Min(to, hashStart + WindowSize); i < ringEnd; i++)
        {
            byte b = Unsafe.Add(ref input, i);
            ref byte slot = ref Unsafe.Add(ref window, pos);
            digest ^= Unsafe.Add(ref table, ChunkerTables.Out + slot);
            slot = b;
            pos = (pos + 1) & (WindowSize - 1);
            digest = ((digest << 8) | b) ^ Unsafe.Add(ref table, ChunkerTables.Mod + (int)(digest >> shift));
            if (stopOnCut && (digest & RabinScan.SplitMask) == 0)
            {
                _digest = digest;
                return i;
            }
        }

        _windowPos = pos;
        Debug.Assert(stopOnCut || i == to, "the first MinSize bytes end inside the ring phase");
        int cut = i < to ? RabinScan.FindMaskCut(data, i, to, _tables, ref digest) : -1;
        _digest = digest;
        return cut;
    }

    /// <summary>
    /// After a call that hashed at least WindowSize bytes the ring buffer is stale (the fast loop reads
    /// outgoing bytes from the input); refill it with the last WindowSize bytes, oldest first.
    /// </summary>
    private void SaveWindow(ReadOnlySpan<byte> data, int hashStart)
    {
        if (data.Length - hashStart >= WindowSize)
        {
            data[^WindowSize..].CopyTo(_window);
            _windowPos = 0;
        }
    }
}
