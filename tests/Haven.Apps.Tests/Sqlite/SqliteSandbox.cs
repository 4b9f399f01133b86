// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using System.Text.Json;
using Haven.Testing;

namespace Haven.Apps.Tests.Sqlite;

/// <summary>One test's folder with a repository, a private home for the haven CLI, a data folder and restic.</summary>
public sealed class SqliteSandbox : IDisposable
{
    public SqliteSandbox()
    {
        Temp = new TempDirectory("sqlite");
        Data = Temp.CreateSubdirectory("data");
        Cli = new HavenCli(Temp.Combine("repo"), Restic.DefaultPassword, Temp.CreateSubdirectory("home"));
        Restic = new Restic(Temp.Combine("repo"));
        Cli.RunChecked("init");
    }

    public TempDirectory Temp { get; }

    /// <summary>The folder the databases live in.</summary>
    public string Data { get; }

    public HavenCli Cli { get; }

    public Restic Restic { get; }

    /// <summary>Where copies are made: $XDG_CACHE_HOME/haven/tmp of the CLI's home.</summary>
    public string CopiesDirectory => Path.Combine(Cli.HomeDirectory, "cache", "haven", "tmp");

    public string DataFile(string name) => Path.Combine(Data, name);

    /// <summary>`haven backup --json ARGS`; asserts the exit code and returns the JSON lines.</summary>
    public List<JsonElement> Backup(int expectedExitCode, params string[] args)
    {
        var result = Cli.Run(["backup", "--json", .. args]);
        Assert.True(result.ExitCode == expectedExitCode, $"backup exited {result.ExitCode}, expected {expectedExitCode}\n{result.Stdout}\n{result.Stderr}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }

    /// <summary>Restores the latest snapshot with haven into a new folder and returns where <paramref name="path"/> landed.</summary>
    public string RestoreWithHaven(string path)
    {
        string target = Temp.CreateSubdirectory("restore-" + Guid.NewGuid().ToString("N")[..8]);
        Cli.RunChecked("restore", "latest", "--target", target);
        return target + path;
    }

    /// <summary>Restores the latest snapshot with restic 0.14 and returns where <paramref name="path"/> landed.</summary>
    public string RestoreWithRestic(string path)
    {
        string target = Temp.CreateSubdirectory("restic-" + Guid.NewGuid().ToString("N")[..8]);
        Restic.RunChecked("restore", "latest", "--target", target);
        return target + path;
    }

    /// <summary>The entries of the latest snapshot directly inside <paramref name="directory"/>, by name, as `haven ls --json` shows them.</summary>
    public SortedDictionary<string, JsonElement> SnapshotEntries(string directory)
    {
        var lines = Cli.RunChecked("ls", "--json", "latest", directory).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var entry in lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()))
        {
            if (entry.TryGetProperty("struct_type", out var type) && type.GetString() == "node"
                && entry.GetProperty("path").GetString() == directory + "/" + entry.GetProperty("name").GetString())
            {
                entries[entry.GetProperty("name").GetString()!] = entry;
            }
        }

        return entries;
    }

    /// <summary>Name, size, modification time and content hash of every file in a folder: what "unchanged" means for a source.</summary>
    public static Dictionary<string, string> Fingerprint(string directory) =>
        Directory.EnumerateFiles(directory).ToDictionary(
            path => Path.GetFileName(path),
            path => $"{new FileInfo(path).Length} {File.GetLastWriteTimeUtc(path):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}",
            StringComparer.Ordinal);

    public void Dispose() => Temp.Dispose();
}
