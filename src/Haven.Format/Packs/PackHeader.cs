// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;

namespace Haven.Format.Packs;

/// <summary>
/// The plaintext pack header: one entry per blob in file order. Type bytes 0/1 are uncompressed
/// data/tree (type ‖ u32 sealed length ‖ id, 37 bytes), 2/3 compressed (type ‖ u32 sealed length ‖
/// u32 plain length ‖ id, 41 bytes). Offsets are implicit: the running sum of the lengths.
/// </summary>
public static class PackHeader
{
    public const int MaxSealedLength = 16 * 1024 * 1024;

    private const int PlainEntrySize = 1 + 4 + Id.Size;
    private const int CompressedEntrySize = PlainEntrySize + 4;

    public static int EntrySize(bool compressed) => compressed ? CompressedEntrySize : PlainEntrySize;

    public static byte[] Encode(IReadOnlyList<PackedBlob> blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        int size = 0;
        for (int i = 0; i < blobs.Count; i++)
        {
            size += EntrySize(blobs[i].IsCompressed);
        }

        var header = new byte[size];
        Span<byte> span = header;
        foreach (PackedBlob blob in blobs)
        {
            byte type = blob.Handle.Type switch
            {
                BlobType.Data => 0,
                BlobType.Tree => 1,
                _ => throw new ArgumentException($"blob {blob.Handle} has an unknown type", nameof(blobs)),
            };
            BinaryPrimitives.WriteUInt32LittleEndian(span[1..], blob.Length);
            int idAt = 5;
            if (blob.IsCompressed)
            {
                type += 2;
                BinaryPrimitives.WriteUInt32LittleEndian(span[5..], blob.UncompressedLength);
                idAt = 9;
            }

            span[0] = type;
            blob.Handle.Id.CopyTo(span.Slice(idAt, Id.Size));
            span = span[(idAt + Id.Size)..];
        }

        return header;
    }

    public static List<PackedBlob> Decode(ReadOnlySpan<byte> plaintext)
    {
        var blobs = new List<PackedBlob>(plaintext.Length / PlainEntrySize);
        ulong offset = 0;
        while (!plaintext.IsEmpty)
        {
            byte type = plaintext[0];
            if (type > 3)
            {
                throw new InvalidDataException($"pack header entry {blobs.Count} has unknown type byte {type}");
            }

            bool compressed = type >= 2;
            int size = EntrySize(compressed);
            if (plaintext.Length < size)
            {
                throw new InvalidDataException($"pack header entry {blobs.Count} is truncated: {plaintext.Length} of {size} bytes");
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(plaintext[1..]);
            uint uncompressed = compressed ? BinaryPrimitives.ReadUInt32LittleEndian(plaintext[5..]) : 0;
            var id = new Id(plaintext.Slice(size - Id.Size, Id.Size));
            if (offset > uint.MaxValue)
            {
                throw new InvalidDataException($"pack header entry {blobs.Count} starts beyond 4 GiB");
            }

            var handle = new BlobHandle(id, (type & 1) == 0 ? BlobType.Data : BlobType.Tree);
            blobs.Add(new PackedBlob(handle, (uint)offset, length, uncompressed));
            offset += length;
            plaintext = plaintext[size..];
        }

        return blobs;
    }
}
