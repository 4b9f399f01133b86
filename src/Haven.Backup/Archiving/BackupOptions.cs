// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Filtering;
using Haven.Format;

namespace Haven.Backup.Archiving;

/// <summary>What to back up and how; validated by the CLI before the archiver sees it.</summary>
public sealed record BackupOptions
{
    /// <summary>Absolute paths to back up from disk.</summary>
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

    /// <summary>Back up one stream as a file of this name at the root of the snapshot.</summary>
    public StdinSource? Stdin { get; init; }

    /// <summary>Content produced during the backup (database dumps), stored beside <see cref="Paths"/>.</summary>
    public IReadOnlyList<StreamSource> Streams { get; init; } = [];

    /// <summary>
    /// Where content is read from when it is not the recorded path itself: a recorded path (a target,
    /// or a folder below one) → the folder or file that holds the same content, such as the path in a
    /// filesystem snapshot. The snapshot records the original path; a deeper entry may have its own.
    /// </summary>
    public IReadOnlyDictionary<string, string> SourceRoots { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Device numbers to record instead of the ones seen while reading: a filesystem snapshot's
    /// device → the original volume's, so the nodes recorded match those of a backup of the live paths.
    /// </summary>
    public IReadOnlyDictionary<ulong, ulong> DeviceAliases { get; init; } = new Dictionary<ulong, ulong>();

    /// <summary>The path that <paramref name="path"/>'s content is read from (see <see cref="SourceRoots"/>), else <paramref name="otherwise"/>.</summary>
    internal string AccessPathOf(string path, string otherwise) => SourceRoots.Count > 0 && SourceRoots.TryGetValue(path, out string? source) ? source : otherwise;

    /// <summary>
    /// Copies files that an application may be writing (SQLite databases) consistently instead of
    /// reading their bytes; null reads every file as it is.
    /// </summary>
    public IConsistentContentSource? ConsistentSource { get; init; }

    /// <summary>
    /// Count the files and bytes ahead of the backup (a second walk of the sources) so progress can
    /// show totals and an ETA. Off when nobody sees progress: it doubles the stat calls of a backup.
    /// </summary>
    public bool CountTotals { get; init; } = true;

    /// <summary>
    /// Take the parent's tree ID for a folder whose tree JSON would be the parent's byte for byte,
    /// when the parent was written by this version (so its trees are encoded as this build encodes
    /// them). Tests turn it off to compare with encoding every tree.
    /// </summary>
    internal bool ReuseParentTrees { get; init; } = true;

    /// <summary>How many files are read at once.</summary>
    public int ReadConcurrency { get; init; } = 2;

    /// <summary>How many chunks are compressed and encrypted at once.</summary>
    public int SaverConcurrency { get; init; } = Math.Max(2, Environment.ProcessorCount);
}
