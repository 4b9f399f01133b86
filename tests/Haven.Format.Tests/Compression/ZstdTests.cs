// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Compression;

namespace Haven.Format.Tests.Compression;

public class ZstdTests
{
    [Fact]
    public void Compress_then_decompress_returns_the_input()
    {
        Gen.Byte[0, 3].Array[0, 20_000].Sample(data =>
        {
            byte[] frame = Zstd.Compress(data);
            Assert.Equal(data, Zstd.Decompress(frame, data.Length));
            Assert.Equal(data, Zstd.DecompressUnknownSize(frame));
        });
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Decompress_rejects_a_wrong_expected_length(int delta)
    {
        byte[] data = new byte[1000];
        byte[] frame = Zstd.Compress(data);
        Assert.Throws<InvalidDataException>(() => Zstd.Decompress(frame, data.Length + delta));
    }

    [Fact]
    public void Decompress_rejects_garbage()
    {
        Assert.Throws<InvalidDataException>(() => Zstd.Decompress("not zstd at all"u8, 10));
        Assert.Throws<InvalidDataException>(() => Zstd.DecompressUnknownSize("not zstd at all"u8));
    }

    [Fact]
    public void Reads_a_streamed_frame_without_a_content_size()
    {
        byte[] data = Enumerable.Range(0, 50_000).Select(i => (byte)(i % 7)).ToArray();
        using var buffer = new MemoryStream();
        using (var stream = new ZstdSharp.CompressionStream(buffer, 3, leaveOpen: true))
        {
            stream.Write(data);
        }

        byte[] frame = buffer.ToArray();
        Assert.Equal(0, frame[4] & 0xc0); // Frame_Content_Size_flag 0 and not single-segment: no content size.
        Assert.Equal(data, Zstd.DecompressUnknownSize(frame));
        Assert.Equal(data, Zstd.Decompress(frame, data.Length));
    }

    [Fact]
    public void Different_levels_produce_readable_frames()
    {
        byte[] data = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 13)).ToArray();
        foreach (int level in new[] { 1, 3, 19 })
        {
            Assert.Equal(data, Zstd.Decompress(Zstd.Compress(data, level), data.Length));
        }
    }

    [Fact]
    public void Uses_the_system_libzstd_on_this_machine()
    {
        Assert.True(Zstd.IsNative, "libzstd.so.1 (Debian's libzstd1) did not load");
    }

    [Fact]
    public void Frames_written_here_are_read_by_the_managed_port_and_the_other_way_round()
    {
        Gen.Byte[0, 5].Array[1, 300_000].Sample(data =>
        {
            byte[] frame = Zstd.Compress(data);
            Assert.Equal(data, new ZstdSharp.Decompressor().Unwrap(frame).ToArray());
            byte[] managed = new ZstdSharp.Compressor(3).Wrap(data).ToArray();
            Assert.Equal(data, Zstd.Decompress(managed, data.Length));
        }, iter: 20);
    }

    [Fact]
    public void Compress_into_a_buffer_writes_the_same_frame_as_compress()
    {
        byte[] data = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31 % 251)).ToArray();
        byte[] buffer = new byte[Zstd.CompressBound(data.Length)];
        int length = Zstd.Compress(data, buffer);
        Assert.Equal(Zstd.Compress(data), buffer.AsSpan(0, length).ToArray());
    }
    [Fact]
    public void Blob_frames_are_standard_frames_with_their_content_size_that_the_managed_port_reads()
    {
        Gen.Byte[0, 9].Array[1, 400_000].Sample(data =>
        {
            byte[] buffer = new byte[Zstd.CompressBound(data.Length)];
            int length = Zstd.CompressBlob(data, buffer);
            byte[] frame = buffer.AsSpan(0, length).ToArray();
            Assert.Equal(data, new ZstdSharp.Decompressor().Unwrap(frame).ToArray());
            Assert.Equal(data, Zstd.Decompress(frame, data.Length));
            Assert.Equal(data, Zstd.DecompressUnknownSize(frame));
        }, iter: 20);
    }

    [Fact]
    public void Blob_frames_of_text_are_within_two_percent_of_level_3()
    {
        // The repository-size promise (within 2 % of restic's) rests on this margin.
        var text = new System.Text.StringBuilder();
        var random = new Random(7);
        while (text.Length < 1 << 20)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"line {random.Next(100_000)}: value={random.Next(1000)} state={(random.Next(3) == 0 ? "ok" : "retry")}\n");
        }

        byte[] data = System.Text.Encoding.ASCII.GetBytes(text.ToString());
        byte[] buffer = new byte[Zstd.CompressBound(data.Length)];
        int blob = Zstd.CompressBlob(data, buffer);
        int level3 = Zstd.Compress(data, buffer, 3);
        Assert.InRange((double)blob / level3, 0.9, 1.02);
    }
}
