// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>
/// One repository in a private temporary directory, with the haven CLI and real restic 0.14 both
/// bound to it and to the same password, as a user running both tools on one repository would.
/// </summary>
public sealed class InteropRepository : IDisposable
{
    public const string Password = Restic.DefaultPassword;

    private readonly TempDirectory _temp = new("interop");

    public InteropRepository()
    {
        Path = _temp.Combine("repo");
        Haven = new HavenCli(Path, Password, _temp.CreateSubdirectory("home"));
        Restic = new Restic(Path, Password);
    }

    public string Path { get; }

    public HavenCli Haven { get; }

    public Restic Restic { get; }

    /// <summary>The haven CLI with extra environment variables (HAVEN_NEW_PASSWORD, another password, the progress pace).</summary>
    public HavenCli HavenWith(IReadOnlyDictionary<string, string?> environment) =>
        new(Path, Password, Haven.HomeDirectory, environment);

    /// <summary>A fresh, not yet existing path inside this test's temporary directory.</summary>
    public string NewPath(string name) => _temp.Combine($"{name}-{Guid.NewGuid():N}");

    /// <summary>Where a restore into <paramref name="target"/> puts the snapshot path <paramref name="source"/>: both tools recreate the full path.</summary>
    public static string Restored(string target, string source) => target + source;

    /// <summary>Runs restic's full check, reading every pack, and fails the test unless it finds no error.</summary>
    public void AssertResticCheckPasses(params string[] globalFlags)
    {
        var result = Restic.Run([.. globalFlags, "check", "--read-data"]);
        Assert.True(result.ExitCode == 0 && result.Stdout.Contains("no errors were found", StringComparison.Ordinal),
            $"restic check failed (exit code {result.ExitCode}):\n{result.Stdout}{result.Stderr}");
    }

    /// <summary>The IDs of the data blobs in the repository, as restic lists them.</summary>
    public HashSet<string> DataBlobs() =>
        [.. Restic.RunChecked("list", "blobs").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith("data ", StringComparison.Ordinal))
            .Select(line => line["data ".Length..])];

    /// <summary>The IDs of the snapshots in the repository, as restic lists them.</summary>
    public string[] SnapshotIds() =>
        Restic.RunChecked("list", "snapshots").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The summary object that ends the JSON output of a backup (haven's or restic's).</summary>
    public static JsonNode Summary(ProcessResult backup)
    {
        var summary = backup.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!)
            .LastOrDefault(node => (string?)node["message_type"] == "summary");
        return summary ?? throw new InvalidOperationException($"no summary in the backup's output:\n{backup.Stdout}{backup.Stderr}");
    }

    public void Dispose() => _temp.Dispose();
}
