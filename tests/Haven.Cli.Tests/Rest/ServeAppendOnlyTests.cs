// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>`haven serve --append-only` against real restic and haven: history survives a client that tries to destroy it.</summary>
public sealed class ServeAppendOnlyTests : IDisposable
{
    private const string Password = Restic.DefaultPassword;
    private readonly TempDirectory _temp = new("serve-append");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Forget_prune_and_a_direct_delete_fail_while_snapshots_stay_and_new_backups_succeed()
    {
        var ct = TestContext.Current.CancellationToken;
        string root = _temp.Combine("served");
        using var serve = new ServeProcess(_temp, root, "--append-only");
        var restic = new Restic(serve.Url(), Password);
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "first");
        restic.RunChecked("init");
        restic.RunChecked("backup", source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "second");
        restic.RunChecked("backup", source);

        var forget = restic.Run("forget", "--keep-last", "1", "--prune");
        Assert.NotEqual(0, forget.ExitCode);
        Assert.Equal(2, Snapshots(restic).Length);

        var haven = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home"));
        var havenForget = haven.Run("forget", "--keep-last", "1", "--prune");
        Assert.Equal(1, havenForget.ExitCode);
        Assert.Contains("append-only", havenForget.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Snapshots(restic).Length);

        string pack = Directory.EnumerateFiles(Path.Combine(root, "data"), "*", SearchOption.AllDirectories).First();
        using var http = new HttpClient();
        using var delete = await http.DeleteAsync(new Uri(serve.Address, "data/" + Path.GetFileName(pack)), ct);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.True(File.Exists(pack));
        Wait.Until(() => serve.Log.Contains("refused DELETE /data/" + Path.GetFileName(pack), StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the refused delete in the server's log");

        File.WriteAllText(Path.Combine(source, "a.txt"), "third");
        restic.RunChecked("backup", source);
        haven.RunChecked("backup", source);
        Assert.Equal(4, Snapshots(restic).Length);
        ServeInteropTests.AssertCheckPasses(restic);
    }

    private static string[] Snapshots(Restic restic) =>
        restic.RunChecked("list", "snapshots").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
