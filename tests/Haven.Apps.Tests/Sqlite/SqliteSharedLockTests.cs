// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.Sqlite;
using Haven.Backup.FileSystem;
using Haven.Testing;
using Microsoft.Data.Sqlite;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>Haven's SHARED lock is the one SQLite connections in other processes honour.</summary>
public sealed class SqliteSharedLockTests
{
    [Fact]
    public void A_writer_cannot_commit_while_the_shared_lock_is_held_and_can_once_it_is_released()
    {
        using var temp = new TempDirectory("sqlite-lock");
        string database = temp.Combine("app.db");
        using var writer = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=1");
        writer.Open();
        Execute(writer, "PRAGMA journal_mode = delete; PRAGMA busy_timeout = 0; CREATE TABLE t (x)");
        using var file = new LocalFileSystem().OpenRead(database);

        Assert.True(SqliteSharedLock.TryAcquire(file));
        var blocked = Assert.Throws<SqliteException>(() => Execute(writer, "INSERT INTO t VALUES (1)"));
        SqliteSharedLock.Release(file);
        Execute(writer, "INSERT INTO t VALUES (2)");

        Assert.Equal(5, blocked.SqliteErrorCode);
    }

    [Fact]
    public void The_shared_lock_is_refused_while_a_connection_holds_an_exclusive_lock()
    {
        using var temp = new TempDirectory("sqlite-lock");
        string database = temp.Combine("app.db");
        using var holder = new SqliteConnection($"Data Source={database};Pooling=False");
        holder.Open();
        Execute(holder, "PRAGMA journal_mode = delete; CREATE TABLE t (x); PRAGMA locking_mode = EXCLUSIVE; INSERT INTO t VALUES (1)");
        using var file = new LocalFileSystem().OpenRead(database);

        Assert.False(SqliteSharedLock.TryAcquire(file));
        Execute(holder, "PRAGMA locking_mode = NORMAL; SELECT count(*) FROM t");
        Assert.True(SqliteSharedLock.TryAcquire(file));
        SqliteSharedLock.Release(file);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
