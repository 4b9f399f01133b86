// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>
/// Supplies application-consistent content for files whose bytes on disk can be torn while an
/// application writes them, such as SQLite databases. The archiver asks it about each regular file it
/// reads; implementations live in Haven.Apps, so this project needs no database client. Members are
/// called concurrently from the archiver's file workers.
/// </summary>
public interface IConsistentContentSource
{
    /// <summary>How many leading bytes of a file <see cref="Claims"/> looks at.</summary>
    int HeaderLength { get; }

    /// <summary>
    /// Whether the file at <paramref name="path"/>, which begins with <paramref name="header"/> (shorter
    /// than <see cref="HeaderLength"/> when the file is), is one this source copies consistently.
    /// </summary>
    bool Claims(string path, ReadOnlySpan<byte> header);

    /// <summary>
    /// The names of files that may accompany a file named <paramref name="name"/> ("app.db-wal" for
    /// "app.db"). A companion of a claimed file is not stored, because the consistent copy already
    /// holds what it contributes; and while one exists the claimed file is always copied again, because
    /// its content can change through the companion while its own size and times stay the same.
    /// </summary>
    IReadOnlyList<string> CompanionNames(string name);

    /// <summary>The name of the file that a companion named <paramref name="name"/> accompanies, or null.</summary>
    string? CompanionOf(string name);

    /// <summary>
    /// A consistent copy of a claimed file, read once to its end and then disposed by the archiver.
    /// <paramref name="accessPath"/> reaches the file in system calls (for a very deep file it is a
    /// /proc/self/fd/N/name alias of its path). Throws <see cref="ConsistentReadException"/>, with a
    /// message that need not repeat the path, when no consistent copy can be made; the archiver then
    /// stores the file and its companions as they are and warns.
    /// </summary>
    Task<ConsistentContent> OpenAsync(string accessPath, CancellationToken cancellationToken);
}
