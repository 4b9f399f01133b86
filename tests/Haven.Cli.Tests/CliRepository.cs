// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>
/// One test's own sandbox: a temporary directory holding a repository, a private home for the
/// CLI and a source folder, with the haven CLI and restic bound to that repository.
/// </summary>
public sealed class CliRepository : IDisposable
{
    public const string Password = Restic.DefaultPassword;

    public CliRepository(bool initialize = true, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Temp = new TempDirectory("cli");
        RepositoryPath = Temp.Combine("repo");
        Source = Temp.CreateSubdirectory("src");
        Home = Temp.CreateSubdirectory("home");
        Cli = new HavenCli(RepositoryPath, Password, Home, environment);
        Restic = new Restic(RepositoryPath);
        if (initialize)
        {
            Cli.RunChecked("init");
        }
    }

    public TempDirectory Temp { get; }

    public string RepositoryPath { get; }

    public string Source { get; }

    public string Home { get; }

    public HavenCli Cli { get; }

    public Restic Restic { get; }

    /// <summary>Writes a file below <see cref="Source"/> (folders created as needed) and returns its full path.</summary>
    public string WriteSource(string relative, string content)
    {
        string path = Path.Combine(Source, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs `haven backup --json ARGS`, requires exit 0, and returns the summary object.</summary>
    public JsonElement Backup(params string[] args)
    {
        var result = Cli.Run(["backup", "--json", .. args]);
        Assert.True(result.ExitCode == 0, $"backup exited {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        return Summary(result.Stdout);
    }

    /// <summary>The single summary object among the JSON lines of a backup's stdout.</summary>
    public static JsonElement Summary(string stdout)
    {
        var summaries = JsonLines(stdout).Where(e => e.GetProperty("message_type").GetString() == "summary").ToList();
        return Assert.Single(summaries);
    }

    public static List<JsonElement> JsonLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    /// <summary>`haven snapshots --json ARGS`, parsed.</summary>
    public List<JsonElement> Snapshots(params string[] args) =>
        JsonDocument.Parse(Cli.RunChecked(["snapshots", "--json", .. args]).Stdout).RootElement.EnumerateArray().ToList();

    /// <summary>Real `restic check`, which must pass.</summary>
    public void Check() => Restic.RunChecked("check");

    public void Dispose() => Temp.Dispose();
}
