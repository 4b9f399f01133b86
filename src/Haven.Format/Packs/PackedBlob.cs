// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Packs;

/// <summary>
/// Where a blob sits in a pack. Length is the sealed length (plaintext or zstd frame plus 32 bytes
/// of crypto overhead); UncompressedLength is 0 for a blob stored uncompressed.
/// </summary>
public readonly record struct PackedBlob(BlobHandle Handle, uint Offset, uint Length, uint UncompressedLength)
{
    public bool IsCompressed => UncompressedLength != 0;
}
