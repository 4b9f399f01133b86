// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Sqlite;

/// <summary>
/// The files SQLite keeps beside a database: the write-ahead log, its shared-memory index and the
/// rollback journal. Restored beside a consistent copy, a stale one would be replayed into it (or
/// rolled back over it), so a backup leaves them out once it has the copy.
/// </summary>
public static class SqliteCompanions
{
    public const string Wal = "-wal";
    public const string SharedMemory = "-shm";
    public const string Journal = "-journal";

    private static readonly string[] s_suffixes = [Wal, SharedMemory, Journal];

    public static IReadOnlyList<string> NamesFor(string databaseName) => [.. s_suffixes.Select(suffix => databaseName + suffix)];

    /// <summary>"app.db" for "app.db-wal"; null for a name that is not a companion's.</summary>
    public static string? DatabaseOf(string name)
    {
        foreach (string suffix in s_suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }
}
