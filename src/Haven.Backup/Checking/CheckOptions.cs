// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Checking;

/// <summary>What a check reads beyond the structure: every pack (ReadData), or a subset of them.</summary>
public sealed record CheckOptions
{
    public bool ReadData { get; init; }

    /// <summary>When set, only these packs are read whole (implies reading data).</summary>
    public ReadDataSubset? Subset { get; init; }

    /// <summary>The random source for a percentage subset.</summary>
    public Random Random { get; init; } = Random.Shared;
}
