// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Testing;
using Microsoft.Data.Sqlite;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>Databases that cannot be copied consistently are stored as they are, with a warning; bad --sqlite arguments are refused.</summary>
public sealed class SqliteFallbackTests
{
    [Fact]
    public void A_file_with_the_sqlite_header_that_is_no_database_is_stored_as_it_is_with_a_warning()
    {
        using var sandbox = new SqliteSandbox();
        string broken = sandbox.DataFile("broken.db");
        File.WriteAllBytes(broken, [.. "SQLite format 3\0"u8, .. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);

        var lines = sandbox.Backup(3, sandbox.Data);

        Assert.Contains("not a valid SQLite database", Warning(lines, broken), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(broken), File.ReadAllBytes(sandbox.RestoreWithHaven(broken)));
    }

    [Fact]
    public void A_database_locked_longer_than_the_timeout_is_stored_as_it_is_with_its_journal_and_a_warning()
    {
        using var sandbox = new SqliteSandbox();
        string database = sandbox.DataFile("app.db");
        using (var writer = new SqliteWriter(database, "delete"))
        {
            writer.Commit(5);
        }

        using var locker = new SqliteConnection($"Data Source={database};Pooling=False");
        locker.Open();
        using (var exclusive = locker.CreateCommand())
        {
            exclusive.CommandText = "PRAGMA locking_mode = EXCLUSIVE";
            exclusive.ExecuteNonQuery();
        }

        using var transaction = locker.BeginTransaction(deferred: false);
        using (var command = locker.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "PRAGMA cache_size = 1; INSERT INTO rows (payload) SELECT randomblob(4000) FROM rows, rows AS again; UPDATE counter SET n = -1";
            command.ExecuteNonQuery();
        }

        Assert.True(File.Exists(database + "-journal"), "the open transaction keeps a rollback journal");
        using (var reader = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False;Default Timeout=1"))
        {
            reader.Open();
            using var read = reader.CreateCommand();
            read.CommandText = "SELECT count(*) FROM rows";
            Assert.Equal(5, Assert.Throws<SqliteException>(() => read.ExecuteScalar()).SqliteErrorCode);
        }

        var lines = sandbox.Backup(3, "--sqlite-timeout", "1", sandbox.Data);

        Assert.Contains("locked", Warning(lines, database), StringComparison.Ordinal);
        Assert.Equal(["app.db", "app.db-journal"], sandbox.SnapshotEntries(sandbox.Data).Keys);
        transaction.Rollback();
    }

    [Fact]
    public void Sqlite_arguments_that_are_missing_or_no_database_are_usage_errors()
    {
        using var sandbox = new SqliteSandbox();
        string notes = sandbox.DataFile("notes.txt");
        File.WriteAllText(notes, "plain text");

        var missing = sandbox.Cli.Run("backup", "--sqlite", sandbox.DataFile("absent.db"));
        var plain = sandbox.Cli.Run("backup", "--sqlite", notes);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("there is no such file", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, plain.ExitCode);
        Assert.Contains("is not an SQLite database", plain.Stderr, StringComparison.Ordinal);
        Assert.Empty(sandbox.Cli.RunChecked("snapshots", "--json").Stdout.Trim().Trim('[', ']'));
    }

    private static string Warning(List<JsonElement> lines, string path) =>
        lines.Single(line => line.GetProperty("message_type").GetString() == "error" && line.GetProperty("item").GetString() == path)
            .GetProperty("error").GetProperty("message").GetString()!;
}
