// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Statistics;

/// <summary>
/// What stats counted. <see cref="TotalUncompressedSize"/> and the ratios are set in raw-data
/// mode only; sizes of stored blobs include their encryption overhead, as restic's do.
/// </summary>
public sealed record StatisticsSummary
{
    public int SnapshotsCount { get; init; }

    public ulong TotalSize { get; init; }

    public ulong TotalFileCount { get; init; }

    public ulong TotalBlobCount { get; init; }

    public ulong TotalUncompressedSize { get; init; }

    /// <summary>Uncompressed over stored size of the compressed blobs (0 when none is compressed).</summary>
    public double CompressionRatio { get; init; }

    /// <summary>Percent of the uncompressed size that compression saved.</summary>
    public double CompressionSpaceSaving { get; init; }

    /// <summary>Percent of the uncompressed size held in compressed blobs.</summary>
    public double CompressionProgress { get; init; }

    /// <summary>The snapshots' restore size over the uncompressed size of their distinct blobs (raw-data mode).</summary>
    public double DeduplicationRatio { get; init; }

    /// <summary>The snapshots' restore size (raw-data mode, for the deduplication ratio).</summary>
    public ulong RestoreSize { get; init; }
}
