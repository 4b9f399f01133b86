// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Compression;
using Haven.Format.Crypto;
using Haven.Format.Packs;

namespace Haven.Format.Tests.Packs;

public class BlobCodecTests
{
    private static readonly MasterKey s_key = MasterKey.Generate();

    [Fact]
    public void Compressed_blobs_are_zstd_inside_the_seal()
    {
        byte[] plain = new byte[10_000];
        byte[] sealedBlob = BlobCodec.Seal(s_key, plain, compress: true, out uint plainLength);
        Assert.Equal(10_000u, plainLength);
        Assert.Equal(plain, Zstd.Decompress(s_key.Open(sealedBlob), plain.Length));
        Assert.Equal(plain, BlobCodec.Open(s_key, sealedBlob, plainLength));
    }

    [Fact]
    public void Small_blobs_are_compressed_even_when_that_grows_them()
    {
        byte[] sealedBlob = BlobCodec.Seal(s_key, "twelve bytes"u8, compress: true, out uint plainLength);
        Assert.Equal(12u, plainLength);
        Assert.True(sealedBlob.Length > 12 + MasterKey.Overhead);
    }

    [Fact]
    public void Empty_and_uncompressed_blobs_report_length_zero()
    {
        byte[] empty = BlobCodec.Seal(s_key, [], compress: true, out uint emptyLength);
        Assert.Equal(0u, emptyLength);
        Assert.Equal(MasterKey.Overhead, empty.Length);
        Assert.Empty(BlobCodec.Open(s_key, empty, 0));

        byte[] plain = BlobCodec.Seal(s_key, "raw"u8, compress: false, out uint plainLength);
        Assert.Equal(0u, plainLength);
        Assert.Equal("raw"u8.ToArray(), s_key.Open(plain));
    }

    [Fact]
    public void Random_bytes_are_stored_uncompressed_after_a_probe_and_open_back()
    {
        byte[] plain = new byte[1 << 20];
        new Random(6).NextBytes(plain);

        byte[] sealedBlob = BlobCodec.Seal(s_key, plain, compress: true, out uint plainLength);

        Assert.Equal(0u, plainLength);
        Assert.Equal(plain.Length + MasterKey.Overhead, sealedBlob.Length);
        Assert.Equal(plain, BlobCodec.Open(s_key, sealedBlob, plainLength));
    }

    [Fact]
    public void Random_bytes_with_a_compressible_stretch_anywhere_are_compressed()
    {
        foreach (int stretchAt in new[] { 0, 300_000, (1 << 20) - 150_000 })
        {
            byte[] plain = new byte[1 << 20];
            new Random(7).NextBytes(plain);
            plain.AsSpan(stretchAt, 150_000).Clear();

            byte[] sealedBlob = BlobCodec.Seal(s_key, plain, compress: true, out uint plainLength);

            Assert.Equal((uint)plain.Length, plainLength);
            Assert.True(sealedBlob.Length < plain.Length - 140_000, $"{sealedBlob.Length} bytes with zeros at {stretchAt}");
            Assert.Equal(plain, BlobCodec.Open(s_key, sealedBlob, plainLength));
        }
    }

    [Fact]
    public void Short_random_blobs_are_compressed_without_a_probe()
    {
        byte[] plain = new byte[Zstd.ProbeMinimum - 1];
        new Random(8).NextBytes(plain);

        BlobCodec.Seal(s_key, plain, compress: true, out uint plainLength);

        Assert.Equal((uint)plain.Length, plainLength);
    }

    [Fact]
    public void Open_rejects_a_wrong_uncompressed_length()
    {
        byte[] sealedBlob = BlobCodec.Seal(s_key, new byte[500], compress: true, out uint plainLength);
        Assert.Throws<InvalidDataException>(() => BlobCodec.Open(s_key, sealedBlob, plainLength + 1));
        Assert.Throws<InvalidDataException>(() => BlobCodec.Open(s_key, sealedBlob, plainLength - 1));
    }

    [Fact]
    public void Open_with_scratch_leaves_the_sealed_blob_untouched_and_equals_opening_in_place()
    {
        // Random bytes with a zero stretch somewhere: compressible, incompressible (probe) and small blobs.
        var plaintexts = Gen.Select(Gen.Int[0, 200_000], Gen.Int, Gen.Double[0, 1], Gen.Double[0, 1]).Select((length, seed, at, share) =>
        {
            byte[] plain = new byte[length];
            new Random(seed).NextBytes(plain);
            int stretch = (int)(length * share);
            plain.AsSpan((int)((length - stretch) * at), stretch).Clear();
            return plain;
        });
        Gen.Select(plaintexts, Gen.Bool).Sample((plain, compress) =>
        {
            byte[] sealedBlob = BlobCodec.Seal(s_key, plain, compress, out uint plainLength);
            byte[] before = [.. sealedBlob];
            byte[] opened = new byte[plain.Length];
            byte[] scratch = new byte[sealedBlob.Length];

            BlobCodec.Open(s_key, sealedBlob, plainLength, scratch, opened);

            Assert.Equal(plain, opened);
            Assert.Equal(before, sealedBlob);
            byte[] inPlace = new byte[plain.Length];
            BlobCodec.OpenInPlace(s_key, sealedBlob, plainLength, inPlace);
            Assert.Equal(plain, inPlace);
        }, iter: 200);
    }
}
