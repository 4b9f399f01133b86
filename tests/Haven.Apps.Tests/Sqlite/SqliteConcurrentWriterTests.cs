// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>A database backed up while another process keeps committing restores to one committed state.</summary>
public sealed class SqliteConcurrentWriterTests
{
    [Theory]
    [InlineData("wal", true)]
    [InlineData("wal", false)]
    [InlineData("delete", true)]
    [InlineData("delete", false)]
    public void A_database_backed_up_while_a_writer_commits_restores_to_one_committed_state(string journalMode, bool named)
    {
        using var sandbox = new SqliteSandbox();
        string database = sandbox.DataFile("app.db");
        using var writer = new SqliteWriter(database, journalMode);
        writer.Prefill(10_000);
        writer.Start();
        Wait.Until(() => writer.Commits > 10_020, TimeSpan.FromMinutes(2), "the writer to commit");

        long before = writer.Commits;
        sandbox.Backup(0, named ? ["--sqlite", database] : [sandbox.Data]);
        long after = writer.Commits;
        writer.StopAndCheck();

        Assert.True(after > before, $"the writer committed nothing while the backup ran ({before} commits before and after)");
        Assert.Equal(["app.db"], sandbox.SnapshotEntries(sandbox.Data).Keys);
        foreach (string restored in new[] { sandbox.RestoreWithHaven(database), sandbox.RestoreWithRestic(database) })
        {
            Assert.Equal(["app.db"], Directory.GetFiles(Path.GetDirectoryName(restored)!).Select(Path.GetFileName));
            var state = SqliteState.Read(restored);
            state.AssertOneCommittedState();
            Assert.InRange(state.Counter, before, after);
            Assert.Equal(journalMode, state.JournalMode);
        }

        Assert.Empty(Directory.Exists(sandbox.CopiesDirectory) ? Directory.GetFileSystemEntries(sandbox.CopiesDirectory) : []);
    }
}
