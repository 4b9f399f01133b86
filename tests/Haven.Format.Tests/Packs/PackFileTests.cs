// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Security.Cryptography;
using CsCheck;
using Haven.Format.Crypto;
using Haven.Format.Packs;

namespace Haven.Format.Tests.Packs;

public class PackFileTests
{
    private static readonly MasterKey s_key = MasterKey.Generate();

    [Fact]
    public void Written_packs_parse_back_with_every_blob()
    {
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Bool, Gen.Bool).List[1, 12].Sample(items =>
        {
            var writer = new PackWriter(s_key);
            var expected = new Dictionary<BlobHandle, byte[]>();
            foreach ((byte[] plain, bool tree, bool compress) in items)
            {
                var handle = new BlobHandle(Id.Hash(plain), tree ? BlobType.Tree : BlobType.Data);
                if (writer.Contains(handle))
                {
                    continue;
                }

                writer.Add(handle, BlobCodec.Seal(s_key, plain, compress, out uint plainLength), plainLength);
                expected[handle] = plain;
            }

            FinishedPack pack = writer.Finish();
            Assert.Equal(Id.Hash(pack.Content.Span), pack.Id);
            List<PackedBlob> parsed = PackFile.Parse(s_key, pack.Content.Span);
            Assert.Equal(pack.Blobs, parsed);
            foreach (PackedBlob blob in parsed)
            {
                byte[] plain = BlobCodec.Open(s_key, pack.Content.Span.Slice((int)blob.Offset, (int)blob.Length), blob.UncompressedLength);
                Assert.Equal(expected[blob.Handle], plain);
            }
        }, iter: 40);
    }

    [Fact]
    public void Header_is_read_from_the_tail_like_restic()
    {
        FinishedPack pack = OneBlobPack();
        ReadOnlySpan<byte> content = pack.Content.Span;
        int headerLength = PackFile.ReadHeaderLength(content[^4..]);
        Assert.Equal(32 + 37, headerLength);
        Assert.Equal(15 * 41 + 36, PackFile.TailReadAhead);
        List<PackedBlob> blobs = PackFile.ParseHeader(s_key, content.Slice(content.Length - 4 - headerLength, headerLength), content.Length);
        Assert.Equal(pack.Blobs, blobs);
    }

    [Fact]
    public void Rejects_pack_whose_header_length_exceeds_file()
    {
        byte[] content = OneBlobPack().Content.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(content.AsSpan(content.Length - 4), (uint)content.Length);
        var error = Assert.Throws<InvalidDataException>(() => PackFile.Parse(s_key, content));
        Assert.Contains("header length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_header_shorter_than_the_crypto_overhead()
    {
        var error = Assert.Throws<InvalidDataException>(() => PackFile.ParseHeader(s_key, new byte[31], 1000));
        Assert.Contains("minimum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_pack_with_trailing_or_missing_bytes()
    {
        FinishedPack pack = OneBlobPack();
        byte[] content = pack.Content.ToArray();
        int headerLength = PackFile.ReadHeaderLength(content.AsSpan(content.Length - 4));
        byte[] header = content.AsSpan(content.Length - 4 - headerLength, headerLength).ToArray();
        var error = Assert.Throws<InvalidDataException>(() => PackFile.ParseHeader(s_key, header, content.Length + 1));
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_tampered_header()
    {
        byte[] content = OneBlobPack().Content.ToArray();
        content[^10] ^= 1;
        var error = Assert.Throws<InvalidDataException>(() => PackFile.Parse(s_key, content));
        Assert.IsType<CiphertextAuthenticationException>(error.InnerException);
    }

    [Fact]
    public void Writer_refuses_duplicates_and_use_after_finish()
    {
        var writer = new PackWriter(s_key, 1024);
        var handle = new BlobHandle(Id.Hash("x"u8), BlobType.Data);
        writer.Add(handle, s_key.Seal("x"u8), 0);
        Assert.Equal(1, writer.Count);
        Assert.Equal(33, writer.Size);
        Assert.Throws<InvalidOperationException>(() => writer.Add(handle, s_key.Seal("x"u8), 0));
        writer.Finish();
        Assert.Throws<ObjectDisposedException>(() => writer.Add(new BlobHandle(Id.Hash("y"u8), BlobType.Data), s_key.Seal("y"u8), 0));
    }

    [Fact]
    public void Pack_of_one_empty_blob_is_105_bytes()
    {
        // Sealed empty blob 32 + sealed header (32 + 37) + 4-byte length.
        var writer = new PackWriter(s_key);
        writer.Add(new BlobHandle(Id.Hash([]), BlobType.Data), s_key.Seal([]), 0);
        Assert.Equal(105, writer.Finish().Content.Length);
    }

    private static FinishedPack OneBlobPack()
    {
        var writer = new PackWriter(s_key);
        byte[] plain = RandomNumberGenerator.GetBytes(100);
        writer.Add(new BlobHandle(Id.Hash(plain), BlobType.Data), s_key.Seal(plain), 0);
        return writer.Finish();
    }
}
