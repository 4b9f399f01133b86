// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Repository;

/// <summary>What an archiver needs: store a blob once, and make everything stored durable.</summary>
public interface IBlobWriter : IBlobReader
{
    /// <summary>
    /// Stores a blob unless the repository (or this writer) has it already; returns true when it was new.
    /// The caller computed <paramref name="id"/> as the SHA-256 of <paramref name="plaintext"/>. Compression
    /// and encryption run on the calling thread, so callers on several threads use several cores.
    /// </summary>
    Task<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken);

    /// <summary>Uploads every open pack and writes the index files that name them. Nothing is lost once this returns.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
