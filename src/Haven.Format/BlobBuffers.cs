// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;

namespace Haven.Format;

/// <summary>
/// The pool for a backup's chunk-sized buffers (read windows, chunk copies, sealed blobs), bounded
/// in bytes rather than in arrays per size. The shared ArrayPool rounds every request up to a power
/// of two and keeps arrays per thread and per core in each of those sizes; a backup rents on one
/// thread-pool thread and returns on another, and chunks range from 512 KiB to 8 MiB, so it ended up
/// holding about 190 MiB of arrays for a 400 MiB backup. Here a request is rounded up to a whole MiB
/// (an array's touched pages are then close to what its users write), an idle array is reused for
/// any request it fits within a MiB, and the oldest idle arrays beyond <see cref="IdleLimit"/> bytes
/// are left to the garbage collector.
/// </summary>
public sealed class BlobBuffers : ArrayPool<byte>
{
    private const int Granularity = 1 << 20;

    /// <summary>Smaller requests (small files, trees) go to the shared pool, whose arrays are all shorter than a MiB.</summary>
    private const int SmallLimit = 256 << 10;

    /// <summary>Idle bytes kept for reuse: two read windows (9 MiB each) and a few typical chunks.</summary>
    private const long IdleLimit = 24L << 20;

    private readonly Lock _gate = new();
    private readonly List<byte[]> _idle = [];
    private long _idleBytes;

    private BlobBuffers()
    {
    }

    public static ArrayPool<byte> Pool { get; } = new BlobBuffers();

    /// <summary>
    /// <paramref name="buffer"/>, replaced by a new array of whole MiBs when shorter than <paramref name="length"/>: for one
    /// worker's buffer that is reused for every pack or blob it meets, so that slightly longer requests do not each
    /// take a new array.
    /// </summary>
    public static byte[] Grow(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = [];
            buffer = GC.AllocateUninitializedArray<byte>(WholeMiBs(length));
        }

        return buffer;
    }

    public override byte[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength <= SmallLimit)
        {
            return Shared.Rent(minimumLength);
        }

        int length = WholeMiBs(minimumLength);
        lock (_gate)
        {
            int best = -1;
            for (int i = 0; i < _idle.Count; i++)
            {
                int candidate = _idle[i].Length;
                if (candidate >= length && candidate - length <= Granularity && (best < 0 || candidate < _idle[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                byte[] found = _idle[best];
                _idle.RemoveAt(best);
                _idleBytes -= found.Length;
                return found;
            }
        }

        return GC.AllocateUninitializedArray<byte>(length);
    }

    private static int WholeMiBs(int length) => (int)Math.Min(Array.MaxLength, ((long)length + Granularity - 1) / Granularity * Granularity);

    public override void Return(byte[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length < Granularity)
        {
            Shared.Return(array, clearArray);
            return;
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        lock (_gate)
        {
            // Oldest first out: what was returned last (a read window, the current chunk sizes) is
            // what the next requests ask for.
            _idle.Add(array);
            _idleBytes += array.Length;
            while (_idleBytes > IdleLimit)
            {
                _idleBytes -= _idle[0].Length;
                _idle.RemoveAt(0);
            }
        }
    }
}
