// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>
/// A file whose content is produced while the backup runs, such as a database dump piped from
/// pg_dump or standard input, stored as an ordinary file at <see cref="SnapshotPath"/> so that any
/// restic-compatible tool can restore it. Directories above it that exist only for it are made up
/// in the snapshot with mode 0755.
/// </summary>
public sealed class StreamSource
{
    /// <summary>Absolute path of the file in the snapshot, e.g. "/postgres/app.dump".</summary>
    public required string SnapshotPath { get; init; }

    /// <summary>Opens the content; the archiver reads it to its end once and disposes it.</summary>
    public required Func<CancellationToken, Task<Stream>> Open { get; init; }

    /// <summary>
    /// Runs after the content was read to its end and before the snapshot is written; it throws
    /// when the producer failed (a dump that exits non-zero), which aborts the backup with no snapshot.
    /// </summary>
    public Func<CancellationToken, Task>? Complete { get; init; }

    /// <summary>Permission bits recorded for the file (0600 suits dumps: they hold every row).</summary>
    public uint Permissions { get; init; } = 0x180;

    /// <summary>The name of the file, the last component of <see cref="SnapshotPath"/>.</summary>
    public string Name => SnapshotPath[(SnapshotPath.LastIndexOf('/') + 1)..];

    /// <summary>Throws when <paramref name="path"/> is not a usable absolute snapshot path.</summary>
    public static void Validate(string path)
    {
        if (!path.StartsWith('/') || path.EndsWith('/') || path.Split('/').Skip(1).Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{path}' is not an absolute file path in the snapshot (no '.', '..' or empty components)", nameof(path));
        }
    }
}
