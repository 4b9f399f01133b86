// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Repository.Indexing;

/// <summary>Where a blob's sealed bytes are: pack, offset and sealed length, plus its plaintext length when compressed (else 0).</summary>
public readonly record struct BlobLocation(Id PackId, uint Offset, uint Length, uint UncompressedLength)
{
    /// <summary>The plaintext length: what the blob decodes to.</summary>
    public uint PlaintextLength => UncompressedLength != 0 ? UncompressedLength : Length - Format.Crypto.MasterKey.Overhead;
}
