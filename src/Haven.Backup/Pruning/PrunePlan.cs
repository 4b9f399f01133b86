// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Pruning;

/// <summary>The packs prune deletes or repacks, decided before anything is written.</summary>
internal sealed class PrunePlan
{
    /// <summary>Packs in data/ that no index names: deleted first, as restic does.</summary>
    public HashSet<Id> Unreferenced { get; } = [];

    /// <summary>Packs with no blob in use: deleted once the new index no longer names them.</summary>
    public HashSet<Id> Delete { get; } = [];

    /// <summary>Packs whose used blobs move into new packs before they are deleted.</summary>
    public HashSet<Id> Repack { get; } = [];

    /// <summary>Packs the index names but that are missing and hold nothing in use: dropped from the index.</summary>
    public HashSet<Id> MissingUnneeded { get; } = [];

    public required PruneStats Stats { get; init; }

    /// <summary>True when the index must be rewritten (some pack leaves it).</summary>
    public bool ChangesIndex => Delete.Count + Repack.Count + MissingUnneeded.Count > 0;

    public bool Leaves(Id pack) => Delete.Contains(pack) || Repack.Contains(pack) || MissingUnneeded.Contains(pack);
}
