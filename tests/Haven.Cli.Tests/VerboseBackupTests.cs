// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>backup -v: one line per file saying whether it is new, modified or unchanged.</summary>
public sealed class VerboseBackupTests : IDisposable
{
    private readonly TempDirectory _temp = new("verbose");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Verbose_backup_names_every_file_with_its_change()
    {
        var haven = new HavenCli(_temp.Combine("repo"), "pw", _temp.CreateSubdirectory("home"));
        haven.RunChecked("init");
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "kept.txt"), "same");
        File.WriteAllText(Path.Combine(source, "edited.txt"), "before");
        var first = haven.RunChecked("backup", "-v", source);
        Assert.Contains($"new        {source}/kept.txt, 4 B", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($"new        {source}/edited.txt, 6 B", first.Stdout, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(source, "edited.txt"), "after!!");
        File.SetLastWriteTimeUtc(Path.Combine(source, "edited.txt"), DateTime.UnixEpoch.AddDays(1));
        var second = haven.RunChecked("backup", "--json", "-v", source);
        var verbose = second.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("message_type").GetString() == "verbose_status")
            .ToDictionary(e => e.GetProperty("item").GetString()!, e => e.GetProperty("action").GetString());
        Assert.Equal("unchanged", verbose[$"{source}/kept.txt"]);
        Assert.Equal("modified", verbose[$"{source}/edited.txt"]);
        Assert.Equal(2, verbose.Count);
    }

    [Fact]
    public void Without_verbose_no_file_lines_are_printed()
    {
        var haven = new HavenCli(_temp.Combine("repo"), "pw", _temp.CreateSubdirectory("home"));
        haven.RunChecked("init");
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "x");
        var result = haven.RunChecked("backup", source);
        Assert.DoesNotContain($"{source}/a.txt", result.Stdout, StringComparison.Ordinal);
    }
}
