// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Backup.Copying;

/// <summary>
/// The outcome for one source snapshot: copied as <see cref="DestinationId"/>, or skipped
/// because the destination already held the same snapshot (then <see cref="Skipped"/> is true and
/// <see cref="DestinationId"/> names that copy).
/// </summary>
public sealed record CopiedSnapshot(Id SourceId, Snapshot Source, Id DestinationId, bool Skipped, int BlobsCopied, long BytesCopied);
