// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Packs;

namespace Haven.Format.Tests.Packs;

public class PackHeaderTests
{
    internal static readonly Gen<PackedBlob> GenBlob =
        Gen.Select(Gen.Byte.Array[32], Gen.Bool, Gen.UInt[32, 1_000_000], Gen.UInt[0, 3_000_000])
            .Select((id, tree, length, plain) => new PackedBlob(new BlobHandle(new Id(id), tree ? BlobType.Tree : BlobType.Data), 0, length, plain));

    [Fact]
    public void Entry_sizes_are_frozen()
    {
        Assert.Equal(37, PackHeader.EntrySize(compressed: false));
        Assert.Equal(41, PackHeader.EntrySize(compressed: true));
        Assert.Equal(16 * 1024 * 1024, PackHeader.MaxSealedLength);
    }

    [Fact]
    public void Encode_then_decode_gives_running_offsets()
    {
        GenBlob.List[0, 40].Sample(blobs =>
        {
            List<PackedBlob> decoded = PackHeader.Decode(PackHeader.Encode(blobs));
            uint offset = 0;
            Assert.Equal(blobs.Count, decoded.Count);
            for (int i = 0; i < blobs.Count; i++)
            {
                Assert.Equal(blobs[i] with { Offset = offset }, decoded[i]);
                offset += blobs[i].Length;
            }
        });
    }

    [Fact]
    public void Encodes_the_documented_byte_layout()
    {
        var id = new Id(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        byte[] header = PackHeader.Encode(
        [
            new PackedBlob(new BlobHandle(id, BlobType.Tree), 0, 0x01020304, 0),
            new PackedBlob(new BlobHandle(id, BlobType.Data), 0, 0x30, 0x11223344),
        ]);

        Assert.Equal(37 + 41, header.Length);
        Assert.Equal(new byte[] { 1, 4, 3, 2, 1 }, header[..5]);
        Assert.Equal(id.ToArray(), header[5..37]);
        Assert.Equal(new byte[] { 2, 0x30, 0, 0, 0, 0x44, 0x33, 0x22, 0x11 }, header[37..46]);
        Assert.Equal(id.ToArray(), header[46..]);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(255)]
    public void Rejects_unknown_type_bytes(byte type)
    {
        byte[] header = new byte[41];
        header[0] = type;
        var error = Assert.Throws<InvalidDataException>(() => PackHeader.Decode(header));
        Assert.Contains($"type byte {type}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_truncated_entry()
    {
        Assert.Throws<InvalidDataException>(() => PackHeader.Decode(new byte[40]));
        Assert.Throws<InvalidDataException>(() => PackHeader.Decode(new byte[] { 3, 0, 0 }));
    }
}
