// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Chunking;

/// <summary>Splits a whole in-memory stream into chunks, for tests and tools.</summary>
public static class ChunkBoundaries
{
    /// <summary>The lengths of the chunks of <paramref name="data"/> in order; empty for empty data.</summary>
    public static List<int> ChunkLengths(ReadOnlySpan<byte> data, Polynomial polynomial)
    {
        var chunker = new Chunker(polynomial);
        var lengths = new List<int>();
        while (!data.IsEmpty)
        {
            int cut = chunker.FindCut(data);
            int length = cut < 0 ? data.Length : cut;
            lengths.Add(length);
            data = data[length..];
        }

        return lengths;
    }
}
