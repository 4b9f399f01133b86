// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Repairing;

/// <summary>What 'repair index' did: packs indexed, packs it could not read (and why), index files written and removed.</summary>
public sealed record IndexRebuildResult(int Packs, int Blobs, IReadOnlyList<(Id Pack, string Reason)> UnreadablePacks, int IndexesWritten, int IndexesRemoved);
