// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Testing;

namespace Haven.Apps.Tests.Postgres.Logical;

/// <summary>One test's repository, private home and haven CLI, plus restic on the same repository.</summary>
public sealed class LogicalSandbox : IDisposable
{
    public LogicalSandbox(IReadOnlyDictionary<string, string?>? environment = null)
    {
        Temp = new TempDirectory("pglogical");
        RepositoryPath = Temp.Combine("repo");
        Home = Temp.CreateSubdirectory("home");
        Cli = new HavenCli(RepositoryPath, Restic.DefaultPassword, Home, environment);
        Restic = new Restic(RepositoryPath);
        Cli.RunChecked("init");
    }

    public TempDirectory Temp { get; }

    public string RepositoryPath { get; }

    public string Home { get; }

    public HavenCli Cli { get; }

    public Restic Restic { get; }

    /// <summary>backup --json ARGS; requires success and returns the new snapshot's ID.</summary>
    public string Backup(params string[] args)
    {
        var result = Cli.Run(["backup", "--json", .. args]);
        Assert.True(result.ExitCode == 0, $"backup exited {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        var summary = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(line => line.GetProperty("message_type").GetString() == "summary");
        return summary.GetProperty("snapshot_id").GetString()!;
    }

    /// <summary>restore-table --json ARGS; requires success and returns the summary.</summary>
    public JsonElement RestoreTable(params string[] args)
    {
        var result = Cli.Run(["restore-table", "--json", .. args]);
        Assert.True(result.ExitCode == 0, $"restore-table exited {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Single(line => line.GetProperty("message_type").GetString() == "summary");
    }

    /// <summary>How many snapshots the repository holds (a failed backup must leave none).</summary>
    public int SnapshotCount() =>
        JsonDocument.Parse(Cli.RunChecked("snapshots", "--json").Stdout).RootElement.GetArrayLength();

    public void Dispose() => Temp.Dispose();
}
