// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using CsCheck;
using Haven.Format.Chunking;

namespace Haven.Format.Tests.Chunking;

public class ChunkerTests
{
    private static readonly Polynomial s_upstream = new(0x3DA3358B4DC173);
    private static readonly Polynomial s_restic = new(0x318446006dd733);

    // Chunk lengths (MinSize, MaxSize and in between) and a tail, shared by the property tests.
    private static readonly byte[] s_mixed = MixedInput();

    [Fact]
    public void All_zero_input_is_cut_every_512_KiB_into_the_known_chunk()
    {
        var data = new byte[(3 * Chunker.MinSize) + 1000];
        foreach (Polynomial polynomial in new[] { s_upstream, s_restic })
        {
            Assert.Equal([Chunker.MinSize, Chunker.MinSize, Chunker.MinSize, 1000], ChunkBoundaries.ChunkLengths(data, polynomial));
        }

        Assert.Equal(
            "07854d2fef297a06ba81685e660c332de36d5d18d546927d30daad6d7fda1541",
            Convert.ToHexStringLower(SHA256.HashData(data.AsSpan(0, Chunker.MinSize))));
    }

    [Fact]
    public void Input_shorter_than_the_minimum_is_one_chunk_and_empty_input_none()
    {
        Assert.Equal([Chunker.MinSize - 1], ChunkBoundaries.ChunkLengths(TestData.Random(Chunker.MinSize - 1, 1), s_upstream));
        Assert.Empty(ChunkBoundaries.ChunkLengths([], s_upstream));
    }

    [Fact]
    public void Repeating_data_without_a_cut_is_cut_at_the_maximum()
    {
        List<int> lengths = ChunkBoundaries.ChunkLengths(s_mixed, s_upstream);
        Assert.Contains(Chunker.MaxSize, lengths);
        Assert.Contains(Chunker.MinSize, lengths);
        Assert.Contains(lengths[..^1], length => length is > Chunker.MinSize and < Chunker.MaxSize);
    }

    [Fact]
    public void Chunks_lie_between_min_and_max_size_except_the_last_and_cover_the_input()
    {
        Gen.Select(Gen.Int[0, 4 * Chunker.MinSize], Gen.ULong).Sample(
            (length, seed) =>
            {
                byte[] data = TestData.Random(length, seed);
                List<int> lengths = ChunkBoundaries.ChunkLengths(data, s_upstream);
                Assert.Equal(length, lengths.Sum());
                Assert.All(lengths, l => Assert.InRange(l, 1, Chunker.MaxSize));
                Assert.All(lengths[..^1], l => Assert.InRange(l, Chunker.MinSize, Chunker.MaxSize));
            },
            iter: 25);
        List<int> mixed = ChunkBoundaries.ChunkLengths(s_mixed, s_upstream);
        Assert.Equal(s_mixed.Length, mixed.Sum());
        Assert.All(mixed[..^1], l => Assert.InRange(l, Chunker.MinSize, Chunker.MaxSize));
    }

    [Fact]
    public void Splitting_the_stream_into_spans_does_not_move_the_cuts()
    {
        List<int> expected = ChunkBoundaries.ChunkLengths(s_mixed, s_upstream);
        Gen<int> spanLength = Gen.OneOf(Gen.Int[0, 70], Gen.Int[1, 5000], Gen.Int[1, 3 * Chunker.MinSize]);
        Gen.Select(spanLength.Array[1, 40], Gen.Int[0, 1000]).Sample(
            (spanLengths, rotate) => Assert.Equal(expected, ChunkInSpans(s_mixed, spanLengths, rotate)),
            iter: 40);
    }

    [Theory]
    [InlineData(0x3DA3358B4DC173UL)]
    [InlineData(0x318446006dd733UL)]
    [InlineData(0xB5B0DC3DF3UL)] // degree 39: the 4-byte step with fewer low bits
    [InlineData(0x8E9E6C0BUL)] // degree 31: only the byte-at-a-time loop
    public void Cuts_match_a_byte_at_a_time_reference(ulong polynomial)
    {
        Gen.ULong.Sample(
            seed =>
            {
                byte[] data = TestData.Random(3 * 1024 * 1024, seed);
                Assert.Equal(ReferenceChunker.ChunkLengths(data, polynomial), ChunkBoundaries.ChunkLengths(data, new Polynomial(polynomial)));
            },
            iter: 3);
        Assert.Equal(ReferenceChunker.ChunkLengths(s_mixed, polynomial), ChunkBoundaries.ChunkLengths(s_mixed, new Polynomial(polynomial)));
    }

    [Fact]
    public void Reset_starts_a_new_stream()
    {
        var chunker = new Chunker(s_restic);
        Assert.Equal(-1, chunker.FindCut(TestData.Random(Chunker.MinSize + 5000, 7)));
        chunker.Reset();
        var zeros = new byte[Chunker.MinSize + 10];
        Assert.Equal(Chunker.MinSize, chunker.FindCut(zeros));
    }

    [Fact]
    public void After_a_cut_the_next_chunk_starts_by_itself()
    {
        var chunker = new Chunker(s_restic);
        var zeros = new byte[2 * Chunker.MinSize];
        Assert.Equal(Chunker.MinSize, chunker.FindCut(zeros));
        Assert.Equal(Chunker.MinSize, chunker.FindCut(zeros.AsSpan(Chunker.MinSize)));
    }

    [Theory]
    [InlineData(0x0UL)]
    [InlineData(0x7FUL)]
    [InlineData(0x7F_0000_0000_0000UL)]
    public void Rejects_polynomials_whose_degree_the_tables_cannot_handle(ulong value)
    {
        Assert.Throws<ArgumentException>(() => new Chunker(new Polynomial(value)));
    }

    private static List<int> ChunkInSpans(byte[] data, int[] spanLengths, int rotate)
    {
        var chunker = new Chunker(s_upstream);
        var lengths = new List<int>();
        int chunkStart = 0;
        int offset = 0;
        for (int call = rotate; offset < data.Length; call++)
        {
            int end = Math.Min(data.Length, offset + spanLengths[call % spanLengths.Length]);
            int cut = chunker.FindCut(data.AsSpan(offset, end - offset));
            if (cut >= 0)
            {
                lengths.Add(offset + cut - chunkStart);
                chunkStart = offset + cut;
                offset = chunkStart;
            }
            else
            {
                offset = end;
            }
        }

        if (chunkStart < data.Length)
        {
            lengths.Add(data.Length - chunkStart);
        }

        return lengths;
    }

    private static byte[] MixedInput()
    {
        // Random, then a repeated 4 KiB block as long as MaxSize (its digests repeat and this block
        // has no cut), then enough zeros for whole MinSize chunks, then random again.
        const int RandomHead = 1024 * 1024;
        const int Zeros = 4 * Chunker.MinSize;
        var data = new byte[RandomHead + Chunker.MaxSize + Zeros + 123_457];
        TestData.Fill(data.AsSpan(0, RandomHead), 11);
        TestData.FillRepeating(data.AsSpan(RandomHead, Chunker.MaxSize), 4096, 12);
        TestData.Fill(data.AsSpan(RandomHead + Chunker.MaxSize + Zeros), 13);
        return data;
    }
}
