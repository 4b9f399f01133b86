// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;
using Microsoft.Data.Sqlite;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>A folder backup recognises SQLite databases by their header and copies them consistently, leaving the source as it was.</summary>
public sealed class SqliteFolderTests
{
    [Fact]
    public void A_database_whose_commits_are_only_in_its_wal_is_stored_whole_without_its_wal_and_shm()
    {
        using var sandbox = new SqliteSandbox();
        string database = sandbox.DataFile("app.db");
        using var writer = new SqliteWriter(database, "wal", checkpoint: false);
        writer.Commit(50);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.WriteAllText(sandbox.DataFile("notes.txt"), "not a database");
        Assert.True(File.Exists(database + "-wal") && File.Exists(database + "-shm"), "the writer keeps a -wal and -shm");
        var source = SqliteSandbox.Fingerprint(sandbox.Data);

        sandbox.Backup(0, sandbox.Data);

        var unchanged = SqliteSandbox.Fingerprint(sandbox.Data);
        Assert.Equal(source.Keys.Order(), unchanged.Keys.Order());
        foreach (string name in new[] { "app.db", "app.db-wal", "notes.txt" })
        {
            Assert.Equal(source[name], unchanged[name]);
        }

        var entries = sandbox.SnapshotEntries(sandbox.Data);
        Assert.Equal(["app.db", "notes.txt"], entries.Keys);
        string restored = sandbox.RestoreWithHaven(database);
        Assert.Equal(new FileInfo(restored).Length, entries["app.db"].GetProperty("size").GetInt64());
        Assert.Equal("-rw-r-----", entries["app.db"].GetProperty("permissions").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(restored));
        Assert.Equal(File.GetLastWriteTimeUtc(database), File.GetLastWriteTimeUtc(restored));
        var state = SqliteState.Read(restored);
        state.AssertOneCommittedState();
        Assert.Equal(50, state.Counter);
    }

    [Fact]
    public void Idle_databases_are_copied_without_creating_or_changing_any_file_beside_them()
    {
        using var sandbox = new SqliteSandbox();
        using (var wal = new SqliteWriter(sandbox.DataFile("wal.db"), "wal"))
        {
            wal.Commit(20);
        }

        using (var rollback = new SqliteWriter(sandbox.DataFile("rollback.db"), "delete"))
        {
            rollback.Commit(30);
        }

        var source = SqliteSandbox.Fingerprint(sandbox.Data);
        Assert.Equal(["rollback.db", "wal.db"], source.Keys.Order());

        sandbox.Backup(0, sandbox.Data);

        Assert.Equal(source, SqliteSandbox.Fingerprint(sandbox.Data));
        Assert.Equal(20, SqliteState.Read(sandbox.RestoreWithHaven(sandbox.DataFile("wal.db"))).Counter);
        Assert.Equal(30, SqliteState.Read(sandbox.RestoreWithHaven(sandbox.DataFile("rollback.db"))).Counter);
    }

    [Fact]
    public void No_app_aware_stores_the_database_and_its_wal_and_shm_as_they_are_on_disk()
    {
        using var sandbox = new SqliteSandbox();
        string database = sandbox.DataFile("app.db");
        using var writer = new SqliteWriter(database, "wal", checkpoint: false);
        writer.Commit(10);

        sandbox.Backup(0, "--no-app-aware", sandbox.Data);

        Assert.Equal(["app.db", "app.db-shm", "app.db-wal"], sandbox.SnapshotEntries(sandbox.Data).Keys);
        string restored = sandbox.RestoreWithHaven(database);
        Assert.Equal(File.ReadAllBytes(database), File.ReadAllBytes(restored));
        Assert.Equal(File.ReadAllBytes(database + "-wal"), File.ReadAllBytes(restored + "-wal"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_database_with_new_commits_only_in_its_wal_is_copied_again_though_its_own_status_is_unchanged(bool named)
    {
        using var sandbox = new SqliteSandbox();
        string database = sandbox.DataFile("app.db");
        using (var idle = new SqliteWriter(sandbox.DataFile("idle.db"), "delete"))
        {
            idle.Commit(5);
        }

        using var writer = new SqliteWriter(database, "wal", checkpoint: false);
        writer.Commit(20);
        string[] targets = named ? ["--sqlite", database, "--sqlite", sandbox.DataFile("idle.db")] : [sandbox.Data];
        sandbox.Backup(0, targets);
        var status = (new FileInfo(database).Length, File.GetLastWriteTimeUtc(database));

        writer.Commit(30);
        Assert.Equal(status, (new FileInfo(database).Length, File.GetLastWriteTimeUtc(database)));
        var lines = sandbox.Backup(0, ["-v", .. targets]);

        string Action(string name) => lines.Single(line => line.GetProperty("message_type").GetString() == "verbose_status"
            && line.GetProperty("item").GetString() == sandbox.DataFile(name)).GetProperty("action").GetString()!;
        Assert.Equal("modified", Action("app.db"));
        Assert.Equal("unchanged", Action("idle.db"));
        Assert.Equal(50, SqliteState.Read(sandbox.RestoreWithHaven(database)).Counter);
    }
}
