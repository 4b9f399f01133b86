// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>What a (restored) database written by <see cref="SqliteWriter"/> holds.</summary>
public sealed record SqliteState(string IntegrityCheck, string JournalMode, long Counter, long Rows, long MaxId)
{
    /// <summary>Opens the file on its own (a copy is opened, so no -wal or -shm appears beside the original) and reads it.</summary>
    public static SqliteState Read(string path)
    {
        string probe = path + ".probe-" + Guid.NewGuid().ToString("N");
        File.Copy(path, probe);
        try
        {
            using var connection = new SqliteConnection($"Data Source={probe};Mode=ReadOnly;Pooling=False");
            connection.Open();
            return new SqliteState(
                Text(connection, "PRAGMA integrity_check"),
                Text(connection, "PRAGMA journal_mode"),
                Number(connection, "SELECT n FROM counter"),
                Number(connection, "SELECT count(*) FROM rows"),
                Number(connection, "SELECT coalesce(max(id), 0) FROM rows"));
        }
        finally
        {
            foreach (string suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                File.Delete(probe + suffix);
            }
        }
    }

    /// <summary>Throws unless this is one committed state of the writer: intact, counter == rows, IDs without gaps.</summary>
    public void AssertOneCommittedState()
    {
        Assert.Equal("ok", IntegrityCheck);
        Assert.Equal(Counter, Rows);
        Assert.Equal(Rows, MaxId);
    }

    private static string Text(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    private static long Number(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
