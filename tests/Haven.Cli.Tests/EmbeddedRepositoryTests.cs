// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>With no repository named anywhere, the first backup creates one under XDG_DATA_HOME.</summary>
public sealed class EmbeddedRepositoryTests
{
    [Fact]
    public void First_backup_without_a_repository_creates_the_embedded_one_and_later_commands_need_no_flags()
    {
        using var temp = new TempDirectory("embedded");
        string source = temp.CreateSubdirectory("src");
        File.WriteAllText(Path.Combine(source, "a.txt"), "embedded content");
        var cli = new HavenCli(null, null, temp.CreateSubdirectory("home"),
            new Dictionary<string, string?> { ["HAVEN_PASSWORD_FILE"] = null, ["HAVEN_NEW_PASSWORD"] = null });
        string repository = Path.Combine(cli.HomeDirectory, "data", "haven", "repository");
        string passwordFile = Path.Combine(cli.HomeDirectory, "config", "haven", "password");

        var backup = cli.Run("backup", source);

        Assert.True(backup.ExitCode == 0, $"exit {backup.ExitCode}\n{backup.Stdout}\n{backup.Stderr}");
        Assert.Contains($"created the embedded repository at {repository}", backup.Stderr, StringComparison.Ordinal);
        Assert.Contains($"its password is in {passwordFile}: keep a copy of that file", backup.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(repository, "config")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));

        var snapshots = cli.RunChecked("snapshots");
        Assert.Contains(source, snapshots.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 snapshots", snapshots.Stdout, StringComparison.Ordinal);
        string target = temp.Combine("restored");
        cli.RunChecked("restore", "latest", "--target", target);
        Assert.Equal("embedded content", File.ReadAllText(target + Path.Combine(source, "a.txt")));

        var second = cli.RunChecked("backup", source);
        Assert.DoesNotContain("embedded repository", second.Stderr, StringComparison.Ordinal);

        var restic = ProcessRunner.RunChecked(Restic.ProgramPath, ["--no-cache", "-r", repository, "--password-file", passwordFile, "snapshots", "--json"]);
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(restic.Stdout).RootElement.GetArrayLength());
        ProcessRunner.RunChecked(Restic.ProgramPath, ["--no-cache", "-r", repository, "--password-file", passwordFile, "check"]);
    }
}
