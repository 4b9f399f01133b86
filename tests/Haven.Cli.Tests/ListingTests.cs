// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;

namespace Haven.Cli.Tests;

/// <summary>snapshots, ls and version: text for people, JSON with restic's field names for scripts.</summary>
public sealed class ListingTests
{
    [Fact]
    public void Snapshots_lists_text_and_json_and_filters_by_host_path_and_tag()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "a");
        string other = repo.Temp.CreateSubdirectory("other");
        string first = repo.Backup(repo.Source, "--host", "h1", "--tag", "t1", "--time", "2020-01-02 03:04:05").GetProperty("snapshot_id").GetString()!;
        string second = repo.Backup(other, "--host", "h2", "--time", "2021-01-02 03:04:05").GetProperty("snapshot_id").GetString()!;

        var text = repo.Cli.RunChecked("snapshots").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ID", "Time", "Host", "Tags", "Paths"], text[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([first[..8], "2020-01-02", "03:04:05", "h1", "t1", repo.Source], text[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([second[..8], "2021-01-02", "03:04:05", "h2", other], text[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("2 snapshots", text[^1]);

        var json = repo.Snapshots();
        Assert.Equal([first, second], json.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(first[..8], json[0].GetProperty("short_id").GetString());
        foreach (string field in new[] { "time", "tree", "paths", "hostname", "username", "tags" })
        {
            Assert.True(json[0].TryGetProperty(field, out _), $"snapshot JSON lacks {field}");
        }

        Assert.Equal([repo.Source], json[0].GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([second], repo.Snapshots("--host", "h2").Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([first], repo.Snapshots("--path", repo.Source).Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([first], repo.Snapshots("--tag", "t1").Select(s => s.GetProperty("id").GetString()));
        Assert.Empty(repo.Snapshots("--host", "nobody"));
    }

    [Fact]
    public void Ls_lists_paths_long_form_json_nodes_and_a_subfolder()
    {
        using var repo = new CliRepository();
        string a = repo.WriteSource("a.txt", "alpha");
        string b = repo.WriteSource("sub/b.txt", "bb");
        File.SetUnixFileMode(b, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetLastWriteTimeUtc(b, new DateTime(2019, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        string sub = Path.Combine(repo.Source, "sub");
        repo.Backup(repo.Source);

        var paths = repo.Cli.RunChecked("ls", "latest").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([repo.Source, a, sub, b], paths.SkipWhile(p => p != repo.Source));

        var subOnly = repo.Cli.RunChecked("ls", "latest", sub).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([sub, b], subOnly);

        string longLine = repo.Cli.RunChecked("ls", "-l", "latest", sub).Stdout.Split('\n').Single(l => l.EndsWith(b, StringComparison.Ordinal));
        var local = new DateTime(2019, 3, 4, 5, 6, 7, DateTimeKind.Utc).ToLocalTime();
        Assert.Equal(["-rw-r-----", "root", "root", "2", local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), local.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), b],
            longLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var lines = CliRepository.JsonLines(repo.Cli.RunChecked("ls", "--json", "latest", sub).Stdout);
        Assert.Equal("snapshot", lines[0].GetProperty("struct_type").GetString());
        Assert.Equal(2, lines.Count - 1);
        Assert.All(lines.Skip(1), n => Assert.Equal("node", n.GetProperty("struct_type").GetString()));
        var file = lines[2];
        Assert.Equal("b.txt", file.GetProperty("name").GetString());
        Assert.Equal("file", file.GetProperty("type").GetString());
        Assert.Equal(b, file.GetProperty("path").GetString());
        Assert.Equal(2, file.GetProperty("size").GetInt64());
        Assert.Equal(416, file.GetProperty("mode").GetInt64());
        Assert.Equal("dir", lines[1].GetProperty("type").GetString());
    }

    [Fact]
    public void Version_prints_the_version_as_text_and_json()
    {
        using var repo = new CliRepository(initialize: false);

        var text = repo.Cli.RunChecked("version");
        var json = repo.Cli.RunChecked("version", "--json");

        Assert.Matches(@"^haven \d+\.\d+\.\d+ compiled with \.NET \d+\.\d+\.\d+ on [^ ]+/x64\n$", text.Stdout);
        var message = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal("version", message.GetProperty("message_type").GetString());
        Assert.StartsWith(message.GetProperty("version").GetString()! + " compiled with", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, text.Stderr);
    }
}
