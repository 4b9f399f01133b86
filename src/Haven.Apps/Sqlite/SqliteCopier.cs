// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;
using Haven.Backup.FileSystem;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using SQLitePCL;

namespace Haven.Apps.Sqlite;

/// <summary>
/// Copies a live SQLite database with SQLite's online backup API into a new database file, as one
/// read transaction, while other connections go on committing. The source is only read: nothing is
/// checkpointed and no file is created beside it. A WAL database whose -wal file is absent (no
/// connection has it open) is read with immutable=1 under a SHARED lock, because an ordinary read-only
/// connection would leave an empty -wal and -shm behind; if a connection appeared meanwhile, the copy
/// is made again through its WAL.
/// </summary>
internal sealed class SqliteCopier
{
    // Pages per backup step; cancellation is checked between steps (16 MiB at 4 KiB pages).
    private const int PagesPerStep = 4096;
    private const int MaxAttempts = 5;
    private static readonly TimeSpan s_lockPollInterval = TimeSpan.FromMilliseconds(20);

    private static readonly LocalFileSystem s_fileSystem = new();

    private readonly TimeSpan _busyTimeout;
    private readonly TimeProvider _time;

    public SqliteCopier(TimeSpan busyTimeout, TimeProvider time)
    {
        _busyTimeout = busyTimeout;
        _time = time;
    }

    /// <summary>Copies <paramref name="source"/> into the new file <paramref name="destination"/>; throws <see cref="ConsistentReadException"/> when it cannot.</summary>
    public async Task CopyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        // Opened like the archiver opens files: no .NET advisory flock, no symlink followed, atime left alone.
        using var file = s_fileSystem.OpenRead(source);
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var header = ReadHeader(file);
            bool walPresent = File.Exists(source + SqliteCompanions.Wal);
            if (!SqliteHeader.IsWalMode(header) && !walPresent)
            {
                // Rollback-journal mode: SQLite's own SHARED lock keeps writers out of the file while it is read.
                Copy(source, destination, immutable: false, Remaining(started), cancellationToken);
                return;
            }

            await AcquireSharedLockAsync(file, started, cancellationToken).ConfigureAwait(false);
            try
            {
                if (File.Exists(source + SqliteCompanions.Wal))
                {
                    if (!File.Exists(source + SqliteCompanions.SharedMemory))
                    {
                        throw new ConsistentReadException("it has a -wal file but no -shm index, and reading it would create one beside the database");
                    }

                    Copy(source, destination, immutable: false, Remaining(started), cancellationToken);
                    return;
                }

                Copy(source, destination, immutable: true, Remaining(started), cancellationToken);
                if (!File.Exists(source + SqliteCompanions.Wal))
                {
                    return;
                }
            }
            finally
            {
                SqliteSharedLock.Release(file);
            }

            SqliteTemporaryCopies.Delete(destination);
        }

        throw new ConsistentReadException($"connections kept opening and closing it during {MaxAttempts} attempts to copy it");
    }

    private static byte[] ReadHeader(SafeFileHandle file)
    {
        byte[] header = new byte[SqliteHeader.Length];
        int length = RandomAccess.Read(file, header, 0);
        return SqliteHeader.IsDatabase(header.AsSpan(0, length))
            ? header
            : throw new ConsistentReadException("it no longer begins with the SQLite header");
    }

    private async Task AcquireSharedLockAsync(SafeFileHandle file, long started, CancellationToken cancellationToken)
    {
        while (!SqliteSharedLock.TryAcquire(file))
        {
            if (Remaining(started) <= TimeSpan.Zero)
            {
                throw Locked();
            }

            await Task.Delay(s_lockPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Remaining(long started) => _busyTimeout - _time.GetElapsedTime(started);

    private ConsistentReadException Locked() =>
        new($"another connection kept it locked for more than {_busyTimeout.TotalSeconds:0.#} s (raise --sqlite-timeout, or back it up when it is idle)");

    private void Copy(string source, string destination, bool immutable, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        try
        {
            using var from = Open(source, immutable ? "ro&immutable=1" : "ro", SqliteOpenMode.ReadOnly);
            int timeoutMs = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);
            Execute(from, $"PRAGMA busy_timeout = {timeoutMs}");
            using var to = Open(destination, "rwc", SqliteOpenMode.ReadWriteCreate);
            Execute(to, "PRAGMA synchronous = OFF");

            // One read transaction for every step, so the copy is one committed state of the source.
            using var transaction = from.BeginTransaction(deferred: true);
            using (var read = from.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT count(*) FROM sqlite_schema";
                read.CommandTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
                read.ExecuteScalar();
            }

            Backup(from, to, cancellationToken);
            FinishCopy(to);
        }
        catch (SqliteException error)
        {
            string reason = error.Message.TrimEnd('.');
            throw error.SqliteErrorCode switch
            {
                raw.SQLITE_BUSY or raw.SQLITE_LOCKED => Locked(),
                raw.SQLITE_NOTADB or raw.SQLITE_CORRUPT => new ConsistentReadException($"it is not a valid SQLite database, perhaps damaged or encrypted ({reason})", error),
                raw.SQLITE_FULL => new ConsistentReadException($"no room for its temporary copy in {Path.GetDirectoryName(destination)} (set TMPDIR to a roomier place)", error),
                _ => new ConsistentReadException($"SQLite could not copy it ({reason})", error),
            };
        }
    }

    private static void Backup(SqliteConnection from, SqliteConnection to, CancellationToken cancellationToken)
    {
        using var backup = raw.sqlite3_backup_init(to.Handle, "main", from.Handle, "main");
        if (backup.IsInvalid)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_errcode(to.Handle), to.Handle);
        }

        int rc;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            rc = raw.sqlite3_backup_step(backup, PagesPerStep);
        }
        while (rc == raw.SQLITE_OK);

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, from.Handle);
        }
    }

    /// <summary>
    /// The copy keeps the source's journal mode; a WAL copy is checkpointed, so the file alone holds
    /// the whole database and opens without a -wal beside it.
    /// </summary>
    private static void FinishCopy(SqliteConnection to)
    {
        using var mode = to.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        if (string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            Execute(to, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    private static SqliteConnection Open(string path, string uriMode, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = $"file:{EscapeForUri(path)}?mode={uriMode}",
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>SQLite URI filenames decode %XX and end the path at '?' or '#'.</summary>
    private static string EscapeForUri(string path) =>
        path.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3f", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal);
}
