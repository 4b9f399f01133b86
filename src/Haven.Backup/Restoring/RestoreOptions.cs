// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Filtering;

namespace Haven.Backup.Restoring;

/// <summary>What to restore where.</summary>
public sealed record RestoreOptions
{
    /// <summary>The folder everything is restored into; nothing is ever written outside it.</summary>
    public required string Target { get; init; }

    /// <summary>A path inside the snapshot whose content is restored ("/" for all).</summary>
    public string SubPath { get; init; } = "/";

    public PathFilter Includes { get; init; } = PathFilter.Empty;

    public PathFilter Excludes { get; init; } = PathFilter.Empty;

    /// <summary>Read every restored file back and check it against the snapshot.</summary>
    public bool Verify { get; init; }

    /// <summary>
    /// How many packs are read and written at once. Each holds at most a few MiB; two keep both a
    /// read and a write going on a small machine, more help when each read waits on a network.
    /// </summary>
    public int PackWorkers { get; init; } = 2;
}
