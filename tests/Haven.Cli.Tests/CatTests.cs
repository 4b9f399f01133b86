// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Repository;
using Haven.Repository.Locking;
using Haven.Storage.Local;

namespace Haven.Cli.Tests;

/// <summary>haven cat prints the same decrypted objects as restic's cat.</summary>
public sealed class CatTests
{
    [Fact]
    public async Task Cat_prints_what_restic_cat_prints_for_every_object_type()
    {
        using var repo = new CliRepository();
        repo.WriteSource("a.txt", "cat me");
        string snapshot = repo.Backup(repo.Source).GetProperty("snapshot_id").GetString()!;
        var ct = TestContext.Current.CancellationToken;
        var options = new RepositoryOptions { Identity = new ProcessIdentity("other-host", "someone", 1000, 1000, 4242) };
        await using var repository = await Haven.Repository.Repository.OpenAsync(new LocalBackend(repo.RepositoryPath), CliRepository.Password, options, ct);
        await using var held = await RepositoryLock.AcquireAsync(repository, exclusive: false, ct);

        string index = Single(repo, "index");
        string pack = List(repo, "packs").First();
        string key = Single(repo, "keys");
        string lockId = Single(repo, "locks");
        var blobs = repo.Restic.RunChecked("list", "blobs").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        string data = blobs.Single(b => b[0] == "data")[1];
        string tree = blobs.First(b => b[0] == "tree")[1];

        AssertSameJson(repo, "config");
        AssertSameJson(repo, "masterkey");
        AssertResticFieldsEqual(repo, "snapshot", snapshot);
        AssertSameJson(repo, "index", index);
        AssertSameJson(repo, "key", key);
        AssertSameJson(repo, "lock", lockId);
        AssertSameBytes(repo, ["pack", pack], ["pack", pack]);
        AssertSameBytes(repo, ["blob", data], ["blob", data]);
        // restic 0.14 has no "cat tree"; its "cat blob" finds tree blobs too.
        AssertSameBytes(repo, ["tree", tree], ["blob", tree]);
        Assert.Equal("cat me", repo.Cli.RunChecked("cat", "blob", data).Stdout);
    }

    private static List<string> List(CliRepository repo, string type) =>
        repo.Restic.RunChecked("list", "--no-lock", type).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string Single(CliRepository repo, string type) => Assert.Single(List(repo, type));

    private static void AssertSameJson(CliRepository repo, params string[] args)
    {
        var haven = repo.Cli.RunChecked(["cat", .. args]);
        var restic = repo.Restic.RunChecked(["cat", "--no-lock", .. args]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(restic.Stdout), JsonNode.Parse(haven.Stdout)),
            $"haven cat {string.Join(' ', args)} differs from restic's\nhaven:  {haven.Stdout}\nrestic: {restic.Stdout}");
    }

    /// <summary>restic 0.14 knows fewer snapshot fields (no summary, no program_version): the ones it prints must match.</summary>
    private static void AssertResticFieldsEqual(CliRepository repo, params string[] args)
    {
        var haven = JsonNode.Parse(repo.Cli.RunChecked(["cat", .. args]).Stdout)!.AsObject();
        var restic = JsonNode.Parse(repo.Restic.RunChecked(["cat", "--no-lock", .. args]).Stdout)!.AsObject();
        Assert.NotEmpty(restic);
        foreach (var (name, value) in restic)
        {
            Assert.True(JsonNode.DeepEquals(value, haven[name]), $"haven cat {string.Join(' ', args)}: {name} is {haven[name]?.ToJsonString()}, restic has {value?.ToJsonString()}");
        }
    }

    private static void AssertSameBytes(CliRepository repo, string[] havenArgs, string[] resticArgs)
    {
        byte[] haven = repo.Cli.RunChecked(["cat", .. havenArgs]).StdoutBytes;
        byte[] restic = repo.Restic.RunChecked(["cat", "--no-lock", .. resticArgs]).StdoutBytes;
        Assert.NotEmpty(restic);
        Assert.True(haven.AsSpan().SequenceEqual(restic), $"haven cat {string.Join(' ', havenArgs)}: {haven.Length} bytes, restic: {restic.Length} bytes");
    }
}
