// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>Real restic 0.14 and haven's own REST client, each through a real `haven serve` process.</summary>
public sealed class ServeInteropTests(GeneratedTreeFixture tree) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private const string Password = Restic.DefaultPassword;
    private readonly TempDirectory _temp = new("serve");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Restic_initializes_backs_up_restores_and_checks_through_haven_serve()
    {
        string root = _temp.Combine("served");
        using var serve = new ServeProcess(_temp, root);
        var restic = new Restic(serve.Url(), Password);

        restic.RunChecked("init");
        // As in ResticReadsHavenTests: restic 0.14 can neither back up nor restore the >4096-byte
        // path, and gives a non-UTF-8 link target back as U+FFFD.
        restic.RunChecked("backup", tree.Path, "--exclude", tree.Path + "/long");
        Assert.Single(restic.RunChecked("list", "snapshots").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(tree.Path, restic.RunChecked("snapshots").Stdout, StringComparison.Ordinal);
        string target = _temp.Combine("restic-restore");
        restic.RunChecked("restore", "latest", "--target", target);
        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--ignore", "long", "--ignore", "links/odd-target");
        AssertCheckPasses(restic);

        // On disk it is an ordinary local repository that haven opens directly.
        var direct = new HavenCli(root, Password, _temp.CreateSubdirectory("home-direct"));
        Assert.Contains("no errors were found", direct.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Haven_initializes_backs_up_restores_and_checks_through_haven_serve_in_a_sub_repository()
    {
        string root = _temp.Combine("served");
        using var serve = new ServeProcess(_temp, root);
        var haven = new HavenCli(serve.Url("team/laptop/"), Password, _temp.CreateSubdirectory("home"));

        haven.RunChecked("init");
        haven.RunChecked("backup", tree.Path);
        string target = _temp.Combine("haven-restore");
        haven.RunChecked("restore", "latest", "--target", target);
        FileTree.AssertIdentical(tree.Path, target + tree.Path, "--sparse");
        Assert.Contains("no errors were found", haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);

        AssertCheckPasses(new Restic(serve.Url("team/laptop/"), Password));
        AssertCheckPasses(new Restic(Path.Combine(root, "team", "laptop"), Password));
    }

    [Fact]
    public void Haven_reads_through_haven_serve_what_restic_wrote_through_it()
    {
        string root = _temp.Combine("served");
        using var serve = new ServeProcess(_temp, root);
        var restic = new Restic(serve.Url(), Password);
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllBytes(Path.Combine(source, "data.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000));
        restic.RunChecked("init");
        restic.RunChecked("backup", source);
        var haven = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home"));

        haven.RunChecked("backup", source);
        string target = _temp.Combine("restore");
        haven.RunChecked("restore", "latest", "--target", target);

        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "data.bin")), File.ReadAllBytes(target + source + "/data.bin"));
        Assert.Equal(2, restic.RunChecked("list", "snapshots").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        AssertCheckPasses(restic);
    }

    internal static void AssertCheckPasses(Restic restic)
    {
        var result = restic.Run("check", "--read-data");
        Assert.True(result.ExitCode == 0 && result.Stdout.Contains("no errors were found", StringComparison.Ordinal),
            $"restic check failed (exit code {result.ExitCode}):\n{result.Stdout}{result.Stderr}");
    }
}
