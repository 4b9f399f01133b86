// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.Sqlite;
using Haven.Backup.Archiving;
using Haven.Testing;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>Temporary copies live in a private folder and do not outlive the process that made them.</summary>
public sealed class SqliteTemporaryCopiesTests
{
    [Fact]
    public void Copies_left_by_a_process_that_died_are_removed_and_those_of_running_processes_kept()
    {
        using var temp = new TempDirectory("sqlite-copies");
        string folder = temp.CreateSubdirectory("tmp");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        int deadPid = Enumerable.Range(4_000_000, 100_000).First(pid => !Directory.Exists($"/proc/{pid}"));
        string dead = Path.Combine(folder, $"sqlite-{deadPid}-0123.db");
        string running = Path.Combine(folder, $"sqlite-{Environment.ProcessId}-4567.db");
        File.WriteAllText(dead, "left behind");
        File.WriteAllText(dead + "-journal", "left behind");
        File.WriteAllText(running, "in use");

        _ = new SqliteContentSource(new SqliteSettings { TemporaryDirectory = folder });

        Assert.Equal([running], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_temporary_folder_open_to_other_users_is_refused()
    {
        using var temp = new TempDirectory("sqlite-copies");
        string folder = temp.CreateSubdirectory("tmp");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string database = temp.Combine("app.db");
        using (var writer = new SqliteWriter(database, "delete"))
        {
            writer.Commit(1);
        }

        var source = new SqliteContentSource(new SqliteSettings { TemporaryDirectory = folder });
        var error = await Assert.ThrowsAsync<ConsistentReadException>(() => source.OpenAsync(database, TestContext.Current.CancellationToken));

        Assert.Contains("open to other users", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }
}
