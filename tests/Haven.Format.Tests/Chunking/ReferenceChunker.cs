// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Tests.Chunking;

/// <summary>
/// A literal, slow transcription of restic/chunker's per-byte algorithm (notes §12), sharing no
/// code with Haven's chunker, to compare the optimised loops against.
/// </summary>
internal static class ReferenceChunker
{
    private const int MinSize = 512 * 1024;
    private const int MaxSize = 8 * 1024 * 1024;

    public static List<int> ChunkLengths(byte[] data, ulong polynomial)
    {
        int degree = 63 - (int)ulong.LeadingZeroCount(polynomial);
        var outTable = new ulong[256];
        var modTable = new ulong[256];
        for (int b = 0; b < 256; b++)
        {
            ulong h = Mod((ulong)b, polynomial);
            for (int i = 0; i < 63; i++)
            {
                h = Mod(h << 8, polynomial);
            }

            outTable[b] = h;
            modTable[b] = Mod((ulong)b << degree, polynomial) | ((ulong)b << degree);
        }

        var lengths = new List<int>();
        int start = 0;
        while (start < data.Length)
        {
            var window = new byte[64];
            window[0] = 1;
            int pos = 1;
            ulong digest = 1;
            int length = Math.Min(MinSize - 64, data.Length - start);
            for (; start + length < data.Length; length++)
            {
                byte b = data[start + length];
                digest ^= outTable[window[pos]];
                window[pos] = b;
                pos = (pos + 1) % 64;
                digest = ((digest << 8) | b) ^ modTable[digest >> (degree - 8)];
                if (((digest & 0xFFFFF) == 0 || length + 1 >= MaxSize) && length + 1 >= MinSize)
                {
                    length++;
                    break;
                }
            }

            lengths.Add(length);
            start += length;
        }

        return lengths;
    }

    private static ulong Mod(ulong x, ulong p)
    {
        int pDegree = 63 - (int)ulong.LeadingZeroCount(p);
        for (int bit = 63; bit >= pDegree; bit--)
        {
            if (((x >> bit) & 1) != 0)
            {
                x ^= p << (bit - pDegree);
            }
        }

        return x;
    }
}
