// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Repairing;

/// <summary>What 'repair packs' did: blobs copied into new packs, blobs lost, packs removed, and the index rebuild.</summary>
public sealed record PackSalvageResult(int BlobsSalvaged, IReadOnlyList<BlobHandle> BlobsLost, int PacksRemoved, IndexRebuildResult Index);
