// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using Haven.Format.Crypto;

namespace Haven.Format.Packs;

/// <summary>
/// A whole pack: blob_1 ‖ … ‖ blob_n ‖ sealed(header) ‖ u32 LE length of the sealed header.
/// Blobs are contiguous from offset 0 with no gaps and no trailing bytes.
/// </summary>
public static class PackFile
{
    /// <summary>restic's first read of a pack's end: 15 compressed entries plus overhead and the length field.</summary>
    public static int TailReadAhead => (15 * 41) + 36;

    public static int ReadHeaderLength(ReadOnlySpan<byte> lastFourBytes)
    {
        if (lastFourBytes.Length != 4)
        {
            throw new ArgumentException("the header length field is 4 bytes", nameof(lastFourBytes));
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(lastFourBytes);
        return length > int.MaxValue
            ? throw new InvalidDataException($"pack header length {length} is impossibly large")
            : (int)length;
    }

    /// <summary>Opens and decodes the header and checks that its blobs fill the pack exactly.</summary>
    public static List<PackedBlob> ParseHeader(MasterKey key, ReadOnlySpan<byte> sealedHeader, long packSize)
    {
        ArgumentNullException.ThrowIfNull(key);
        long headerLength = sealedHeader.Length;
        if (headerLength < MasterKey.Overhead)
        {
            throw new InvalidDataException($"pack header length {headerLength} is below the {MasterKey.Overhead}-byte minimum");
        }

        if (headerLength > packSize - 4)
        {
            throw new InvalidDataException($"pack header length {headerLength} exceeds the pack size {packSize} minus the 4-byte length field");
        }

        if (headerLength > PackHeader.MaxSealedLength)
        {
            throw new InvalidDataException($"pack header length {headerLength} exceeds the {PackHeader.MaxSealedLength}-byte maximum");
        }

        byte[] plain;
        try
        {
            plain = key.Open(sealedHeader);
        }
        catch (CiphertextAuthenticationException e)
        {
            throw new InvalidDataException("pack header does not authenticate: wrong key or corrupt pack", e);
        }

        List<PackedBlob> blobs = PackHeader.Decode(plain);
        long blobBytes = 0;
        foreach (PackedBlob blob in blobs)
        {
            blobBytes += blob.Length;
        }

        if (blobBytes + headerLength + 4 != packSize)
        {
            throw new InvalidDataException($"pack size {packSize} does not match its header: blobs {blobBytes} + header {headerLength} + 4");
        }

        return blobs;
    }

    public static List<PackedBlob> Parse(MasterKey key, ReadOnlySpan<byte> wholePack)
    {
        if (wholePack.Length < 4)
        {
            throw new InvalidDataException($"pack of {wholePack.Length} bytes is too short to hold a header length");
        }

        long headerLength = (uint)ReadHeaderLength(wholePack[^4..]);
        if (headerLength < MasterKey.Overhead || headerLength > wholePack.Length - 4)
        {
            throw new InvalidDataException($"pack header length {headerLength} does not fit a pack of {wholePack.Length} bytes");
        }

        int start = wholePack.Length - 4 - (int)headerLength;
        return ParseHeader(key, wholePack.Slice(start, (int)headerLength), wholePack.Length);
    }
}
