// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Repository;

/// <summary>What a restorer needs: blobs by handle, verified against their IDs.</summary>
public interface IBlobReader
{
    bool HasBlob(BlobHandle handle);

    Task<byte[]> LoadBlobAsync(BlobHandle handle, CancellationToken cancellationToken);
}
