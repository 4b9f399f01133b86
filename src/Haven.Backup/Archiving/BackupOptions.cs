// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Filtering;
using Haven.Format;

namespace Haven.Backup.Archiving;

/// <summary>What to back up and how; validated by the CLI before the archiver sees it.</summary>
public sealed record BackupOptions
{
    /// <summary>Absolute paths to back up (ignored with <see cref="Stdin"/>).</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The host name recorded in the snapshot; null means this machine's.</summary>
    public string? Hostname { get; init; }

    /// <summary>The snapshot's time; null means now.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>An explicit parent; null means the latest snapshot of the same host and paths.</summary>
    public Id? Parent { get; init; }

    /// <summary>Read every file again even if the parent says it is unchanged.</summary>
    public bool Force { get; init; }

    public PathFilter Excludes { get; init; } = PathFilter.Empty;

    public IReadOnlyList<string> ExcludeTexts { get; init; } = [];

    public bool OneFileSystem { get; init; }

    /// <summary>Do everything but write to the repository.</summary>
    public bool DryRun { get; init; }

    /// <summary>Back up one stream as a file of this name instead of <see cref="Paths"/>.</summary>
    public StdinSource? Stdin { get; init; }

    /// <summary>
    /// Count the files and bytes ahead of the backup (a second walk of the sources) so progress can
    /// show totals and an ETA. Off when nobody sees progress: it doubles the stat calls of a backup.
    /// </summary>
    public bool CountTotals { get; init; } = true;

    /// <summary>How many files are read at once.</summary>
    public int ReadConcurrency { get; init; } = 2;

    /// <summary>How many chunks are compressed and encrypted at once.</summary>
    public int SaverConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
