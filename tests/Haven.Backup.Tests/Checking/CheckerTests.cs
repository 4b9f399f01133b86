// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Checking;
using Haven.Repository;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Backup.Tests.Checking;

/// <summary>The checker on repositories written by real restic 0.14: healthy ones pass, damage is named the way restic names it.</summary>
public sealed class CheckerTests : IDisposable
{
    private readonly TempDirectory _temp = new("checker");
    private readonly string _repository;
    private readonly string _source;
    private readonly Restic _restic;

    public CheckerTests()
    {
        _repository = _temp.Combine("repo");
        _source = _temp.CreateSubdirectory("source");
        _restic = new Restic(_repository);
        var random = new Random(11);
        for (int i = 0; i < 6; i++)
        {
            string folder = Directory.CreateDirectory(Path.Combine(_source, $"dir{i % 3}")).FullName;
            byte[] content = new byte[1500 + random.Next(2000)];
            random.NextBytes(content);
            File.WriteAllBytes(Path.Combine(folder, $"file{i}.bin"), content);
        }

        _restic.RunChecked("init");
        _restic.RunChecked("backup", _source);
        File.WriteAllText(Path.Combine(_source, "dir0", "new.txt"), "second snapshot");
        _restic.RunChecked("backup", _source);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_repository_written_by_restic_passes_with_read_data_and_each_tree_is_read_once()
    {
        var result = await CheckAsync(new CheckOptions { ReadData = true });

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Snapshots);
        int trees = _restic.RunChecked("list", "blobs").Stdout.Split('\n').Count(line => line.StartsWith("tree ", StringComparison.Ordinal));
        Assert.Equal(trees, result.Trees);
        int packs = Directory.GetFiles(Path.Combine(_repository, "data"), "*", SearchOption.AllDirectories).Length;
        Assert.Equal(packs, result.Packs);
        Assert.Equal(packs, result.PacksRead);
    }

    [Fact]
    public async Task A_damaged_pack_in_a_restic_repository_is_reported_by_haven_and_by_restic()
    {
        string pack = Directory.GetFiles(Path.Combine(_repository, "data"), "*", SearchOption.AllDirectories).OrderByDescending(f => new FileInfo(f).Length).First();
        File.SetUnixFileMode(pack, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var stream = new FileStream(pack, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 50;
            stream.WriteByte(0);
            stream.WriteByte(1);
        }

        var result = await CheckAsync(new CheckOptions { ReadData = true });

        string packId = Path.GetFileName(pack);
        Assert.True(result.HasErrors);
        Assert.All(result.Problems, p => Assert.Equal(packId, p.Pack?.ToString()));
        var blob = Assert.Single(result.Problems, p => p.Kind == CheckProblemKind.DamagedBlob);
        Assert.Single(blob.Blobs);
        Assert.NotEmpty(blob.Affected);
        Assert.All(blob.Affected, path => Assert.Matches(@"^[0-9a-f]{8}:" + _source + "/dir[012]/file[0-5].bin$", path));

        var restic = _restic.Run("check", "--read-data");
        Assert.Equal(1, restic.ExitCode);
        Assert.Contains(packId, restic.Stdout + restic.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_read_data_a_check_does_not_read_packs_and_a_pack_outside_the_index_is_only_a_hint()
    {
        string stray = Path.Combine(Directory.CreateDirectory(Path.Combine(_repository, "data", "00")).FullName, new string('0', 64));
        File.Copy(Directory.GetFiles(Path.Combine(_repository, "data"), "*", SearchOption.AllDirectories)[0], stray);

        var result = await CheckAsync(new CheckOptions());

        Assert.Equal(0, result.PacksRead);
        var hint = Assert.Single(result.Problems);
        Assert.Equal(CheckProblemKind.PackNotIndexed, hint.Kind);
        Assert.False(hint.IsError);
        Assert.False(result.HasErrors);
    }

    private async Task<CheckResult> CheckAsync(CheckOptions options)
    {
        var identity = new ProcessIdentity("host", "user", 0, 0, 1);
        await using var repository = await Repository.Repository.OpenAsync(new LocalBackend(_repository), Restic.DefaultPassword, new RepositoryOptions { Identity = identity }, TestContext.Current.CancellationToken);
        return await new Checker(repository).RunAsync(options, TestContext.Current.CancellationToken);
    }
}
