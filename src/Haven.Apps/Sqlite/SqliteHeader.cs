// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Sqlite;

/// <summary>The parts of SQLite's 100-byte database header that decide how a database is copied.</summary>
public static class SqliteHeader
{
    /// <summary>How many leading bytes hold what this type reads.</summary>
    public const int Length = 20;

    /// <summary>Bytes 18 and 19, the file format write and read versions, are 2 in WAL mode and 1 in rollback-journal mode.</summary>
    private const int WriteVersionOffset = 18;

    private const byte WalVersion = 2;

    /// <summary>"SQLite format 3" and a NUL: the first 16 bytes of every SQLite 3 database.</summary>
    public static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    public static bool IsDatabase(ReadOnlySpan<byte> header) => header.StartsWith(Magic);

    public static bool IsWalMode(ReadOnlySpan<byte> header) =>
        header.Length >= Length && (header[WriteVersionOffset] == WalVersion || header[WriteVersionOffset + 1] == WalVersion);
}
