// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Pruning;

/// <summary>
/// What prune found and planned, in restic's terms. Sizes are stored (sealed) bytes; a pack's
/// header counts as used. "Repack" blobs and bytes are whole packs to rewrite, of which
/// "repack removed" goes away; "delete" is the content of packs deleted outright.
/// </summary>
public sealed record PruneStats
{
    public long UsedBlobs { get; init; }

    public long UsedBytes { get; init; }

    public long DuplicateBlobs { get; init; }

    public long DuplicateBytes { get; init; }

    public long UnusedBlobs { get; init; }

    public long UnusedBytes { get; init; }

    /// <summary>Bytes of packs that no index names (left by an interrupted backup or prune).</summary>
    public long UnreferencedBytes { get; init; }

    public long RepackBlobs { get; init; }

    public long RepackBytes { get; init; }

    public long RepackRemovedBlobs { get; init; }

    public long RepackRemovedBytes { get; init; }

    public long DeleteBlobs { get; init; }

    public long DeleteBytes { get; init; }

    public int PacksUsed { get; init; }

    public int PacksPartlyUsed { get; init; }

    public int PacksUnused { get; init; }

    public int PacksToKeep { get; init; }

    public int PacksToRepack { get; init; }

    public int PacksToDelete { get; init; }

    public int PacksUnreferenced { get; init; }

    public long TotalBlobs => UsedBlobs + UnusedBlobs + DuplicateBlobs;

    public long TotalBytes => UsedBytes + DuplicateBytes + UnusedBytes + UnreferencedBytes;

    public long PruneBlobs => DeleteBlobs + RepackRemovedBlobs;

    public long PruneBytes => DeleteBytes + RepackRemovedBytes + UnreferencedBytes;

    public long RemainingBlobs => TotalBlobs - PruneBlobs;

    public long RemainingBytes => TotalBytes - PruneBytes;

    public long UnusedBytesAfter => DuplicateBytes + UnusedBytes - DeleteBytes - RepackRemovedBytes;
}
