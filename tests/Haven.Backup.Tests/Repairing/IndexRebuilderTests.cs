// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Repairing;
using Haven.Format;
using Haven.Repository;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Backup.Tests.Repairing;

/// <summary>'repair index' on a repository written by restic: every readable pack is indexed, unreadable ones are named.</summary>
public sealed class IndexRebuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new("rebuild");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Rebuilding_indexes_every_readable_pack_names_the_unreadable_one_and_replaces_the_old_index_files()
    {
        string repositoryPath = _temp.Combine("repo");
        var restic = new Restic(repositoryPath);
        restic.RunChecked("init");
        for (int i = 0; i < 3; i++)
        {
            string source = _temp.CreateSubdirectory($"source{i}");
            File.WriteAllBytes(Path.Combine(source, "data.bin"), new Random(i).GetItems<byte>([1, 2, 3, 4, 5, 6, 7], 5000));
            restic.RunChecked("backup", source);
        }

        var oldIndexes = Directory.GetFiles(Path.Combine(repositoryPath, "index")).Select(Path.GetFileName).ToList();
        var packs = Directory.GetFiles(Path.Combine(repositoryPath, "data"), "*", SearchOption.AllDirectories).Order().ToList();
        string broken = packs[0];
        File.SetUnixFileMode(broken, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var stream = new FileStream(broken, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length - 10);
        }

        var cancellationToken = TestContext.Current.CancellationToken;
        var options = new RepositoryOptions { Identity = new ProcessIdentity("host", "user", 0, 0, 1) };
        IndexRebuildResult result;
        await using (var repository = await Repository.Repository.OpenAsync(new LocalBackend(repositoryPath), Restic.DefaultPassword, options, cancellationToken))
        {
            result = await new IndexRebuilder(repository).RunAsync(new HashSet<Id>(), cancellationToken);
        }

        var (pack, reason) = Assert.Single(result.UnreadablePacks);
        Assert.Equal(Path.GetFileName(broken), pack.ToString());
        Assert.NotEmpty(reason);
        Assert.Equal(packs.Count - 1, result.Packs);
        Assert.Equal(oldIndexes.Count, result.IndexesRemoved);
        var newIndexes = Directory.GetFiles(Path.Combine(repositoryPath, "index")).Select(Path.GetFileName).ToList();
        Assert.Equal(result.IndexesWritten, newIndexes.Count);
        Assert.Empty(newIndexes.Intersect(oldIndexes));

        var listed = restic.RunChecked("list", "blobs").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(result.Blobs, listed.Length);
    }
}
