// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli.Tests;

/// <summary>A wrong command line exits 2 with a message naming what is wrong, and touches nothing.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new[] { "backup", "--bogus", "SRC" }, "--bogus")]
    [InlineData(new[] { "snapshots", "--bogus" }, "--bogus")]
    [InlineData(new[] { "backup", "--time", "yesterday", "SRC" }, "--time 'yesterday' is not of the form \"YYYY-MM-DD HH:MM:SS\"")]
    [InlineData(new[] { "backup", "--time", "2020-13-02 03:04:05", "SRC" }, "--time '2020-13-02 03:04:05' is not of the form")]
    [InlineData(new[] { "backup", "--stdin", "--stdin-filename", "a/b" }, "--stdin-filename 'a/b' must be a plain file name without '/'")]
    [InlineData(new[] { "backup" }, "nothing to back up: give one or more paths, --sqlite DB, --postgres DSN or --stdin")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public void Usage_errors_exit_2_with_a_message_naming_the_problem(string[] args, string expected)
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "a");
        string[] resolved = args.Select(a => a == "SRC" ? repo.Source : a).ToArray();
        var before = Directory.GetFiles(repo.RepositoryPath, "*", SearchOption.AllDirectories).Order().ToList();

        var result = repo.Cli.Run(resolved);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Equal(string.Empty, result.Stdout);
        Assert.StartsWith("Fatal: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(repo.RepositoryPath, "*", SearchOption.AllDirectories).Order().ToList());
    }
}
