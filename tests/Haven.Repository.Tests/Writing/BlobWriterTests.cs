// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Indexes;
using Haven.Repository.Writing;
using Haven.Storage.Local;
using Haven.Testing;

namespace Haven.Repository.Tests.Writing;

/// <summary>BlobWriter: dedup, packs by type and size, index files after packs, and many writers at once.</summary>
public sealed class BlobWriterTests : IDisposable
{
    private const int SmallPackSize = 256 * 1024;

    private readonly TempDirectory _temp = new("blob-writer");

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_blob_saved_twice_is_stored_once_and_in_flight_blobs_are_known()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        var writer = new BlobWriter(repository);
        byte[] plaintext = RepositoryReadTests.RandomBytes(1, 5000);
        var handle = new BlobHandle(Id.Hash(plaintext), BlobType.Data);

        Assert.True(await writer.SaveBlobAsync(BlobType.Data, handle.Id, plaintext, Token));
        Assert.True(writer.HasBlob(handle));
        Assert.False(repository.HasBlob(handle));
        Assert.False(await writer.SaveBlobAsync(BlobType.Data, handle.Id, plaintext, Token));
        await writer.FlushAsync(Token);

        Assert.True(repository.HasBlob(handle));
        Assert.Equal(1, writer.DataBlobsAdded);
        var indexes = await LoadIndexFilesAsync(repository);
        Assert.Single(indexes.SelectMany(f => f.Packs).SelectMany(p => p.Blobs), b => b.Handle == handle);

        // A later writer on the reopened repository sees the stored blob and adds nothing.
        await using var reopened = await TestRepository.OpenAsync(_temp);
        await reopened.LoadIndexAsync(Token);
        var second = new BlobWriter(reopened);
        Assert.False(await second.SaveBlobAsync(BlobType.Data, handle.Id, plaintext, Token));
        await second.FlushAsync(Token);
        Assert.Single(await reopened.ListIdsAsync(FileType.Pack, Token));
        Assert.Single(await reopened.ListIdsAsync(FileType.Index, Token));
    }

    [Fact]
    public async Task A_blob_copied_again_after_its_copy_was_uploaded_is_stored_once()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        byte[] plaintext = RepositoryReadTests.RandomBytes(2, 5000);
        var handle = new BlobHandle(Id.Hash(plaintext), BlobType.Data);
        var original = new BlobWriter(repository);
        await original.SaveBlobAsync(BlobType.Data, handle.Id, plaintext, Token);
        await original.FlushAsync(Token);

        var copier = new BlobWriter(repository);
        Assert.True(await copier.CopyBlobAsync(BlobType.Data, handle.Id, plaintext, Token));
        // The flush uploads the copy's pack, which takes the blob out of the in-flight set.
        await copier.FlushAsync(Token);
        Assert.False(await copier.CopyBlobAsync(BlobType.Data, handle.Id, plaintext, Token));
        await copier.FlushAsync(Token);

        var packsHolding = (await LoadIndexFilesAsync(repository)).SelectMany(f => f.Packs).Where(p => p.Blobs.Any(b => b.Handle == handle)).ToList();
        Assert.Equal(2, packsHolding.Count);
        Assert.Equal(2, (await repository.ListIdsAsync(FileType.Pack, Token)).Count);
        Assert.Equal(1, copier.DataBlobsAdded);
    }

    [Fact]
    public async Task Packs_are_assembled_in_temporary_files_that_no_one_can_find_and_that_match_what_is_stored()
    {
        string spool = _temp.CreateSubdirectory("spool");
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options() with { PackSize = SmallPackSize, TemporaryDirectory = spool });
        var writer = new BlobWriter(repository);
        var saved = new List<(BlobHandle Handle, byte[] Plaintext)>();
        for (int i = 0; i < 12; i++)
        {
            byte[] plaintext = RepositoryReadTests.RandomBytes(100 + i, 60_000);
            var handle = new BlobHandle(Id.Hash(plaintext), BlobType.Data);
            Assert.True(await writer.SaveBlobAsync(BlobType.Data, handle.Id, plaintext, Token));
            saved.Add((handle, plaintext));

            // The open pack's file is unlinked as soon as it is created: a crash leaves nothing behind.
            Assert.Empty(Directory.EnumerateFileSystemEntries(spool));
        }

        await writer.FlushAsync(Token);

        Assert.Empty(Directory.EnumerateFileSystemEntries(spool));
        Assert.True((await repository.ListIdsAsync(FileType.Pack, Token)).Count >= 2, "12 blobs of 60 kB fill more than one 256 KiB pack");
        await using var reopened = await TestRepository.OpenAsync(_temp);
        await reopened.LoadIndexAsync(Token);
        foreach (var (handle, plaintext) in saved)
        {
            Assert.Equal(plaintext, await reopened.LoadBlobAsync(handle, Token));
        }

        foreach (var pack in await reopened.ListIdsAsync(FileType.Pack, Token))
        {
            byte[] content = File.ReadAllBytes(Path.Combine(TestRepository.PathIn(_temp), "data", pack.ToString()[..2], pack.ToString()));
            Assert.Equal(pack, Id.Hash(content));
        }
    }

    [Fact]
    public async Task Data_and_tree_blobs_go_into_separate_packs()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        var writer = new BlobWriter(repository);
        var saved = new List<BlobHandle>();
        for (int i = 0; i < 6; i++)
        {
            var type = i % 2 == 0 ? BlobType.Data : BlobType.Tree;
            byte[] plaintext = RepositoryReadTests.RandomBytes(i, 1000 + i);
            saved.Add(new BlobHandle(Id.Hash(plaintext), type));
            await writer.SaveBlobAsync(type, saved[^1].Id, plaintext, Token);
        }

        await writer.FlushAsync(Token);

        var packs = repository.Index.Enumerate().GroupBy(e => e.Location.PackId).ToList();
        Assert.Equal(2, packs.Count);
        Assert.All(packs, p => Assert.Single(p.Select(e => e.Handle.Type).Distinct()));
        Assert.Equal(Sorted(saved), Sorted(repository.Index.Enumerate().Select(e => e.Handle)));
        TestRepository.AssertResticCheckPasses(_temp);
    }

    [Fact]
    public async Task Packs_close_once_they_reach_PackSize()
    {
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options() with { PackSize = SmallPackSize });
        var writer = new BlobWriter(repository);
        const int blobSize = 30_000;
        for (int i = 0; i < 40; i++)
        {
            byte[] plaintext = RepositoryReadTests.RandomBytes(100 + i, blobSize);
            await writer.SaveBlobAsync(BlobType.Data, Id.Hash(plaintext), plaintext, Token);
        }

        await writer.FlushAsync(Token);

        var sizes = Directory.GetFiles(Path.Combine(TestRepository.PathIn(_temp), "data"), "*", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f).Length).Order().ToList();
        // 40 random (incompressible) blobs of 30 kB make 1.2 MB: four full packs and one partial.
        Assert.Equal(5, sizes.Count);
        Assert.True(sizes[0] < SmallPackSize, $"the last pack holds the rest: {sizes[0]}");
        Assert.All(sizes.Skip(1), s => Assert.InRange(s, SmallPackSize, SmallPackSize + blobSize + 200));
        TestRepository.AssertResticCheckPasses(_temp);
    }

    [Fact]
    public async Task FlushAsync_writes_index_files_naming_exactly_the_stored_packs()
    {
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options() with { PackSize = SmallPackSize });
        var writer = new BlobWriter(repository);
        var saved = new List<BlobHandle>();
        for (int i = 0; i < 30; i++)
        {
            byte[] plaintext = RepositoryReadTests.RandomBytes(200 + i, 20_000);
            saved.Add(new BlobHandle(Id.Hash(plaintext), BlobType.Data));
            await writer.SaveBlobAsync(BlobType.Data, saved[^1].Id, plaintext, Token);
        }

        await writer.FlushAsync(Token);

        var indexes = await LoadIndexFilesAsync(repository);
        var indexedPacks = indexes.SelectMany(f => f.Packs).Select(p => p.PackId).ToList();
        var storedPacks = await repository.ListIdsAsync(FileType.Pack, Token);
        Assert.Equal(storedPacks.Order(), indexedPacks.Order());
        Assert.Equal(Sorted(saved), Sorted(indexes.SelectMany(f => f.Packs).SelectMany(p => p.Blobs).Select(b => b.Handle)));
        foreach (var handle in saved)
        {
            Assert.Equal(RepositoryReadTests.RandomBytes(200 + saved.IndexOf(handle), 20_000), await repository.LoadBlobAsync(handle, Token));
        }
    }

    [Fact]
    public async Task A_pack_enters_the_master_index_only_after_it_is_stored()
    {
        var backend = new GatedBackend(new LocalBackend(TestRepository.PathIn(_temp)));
        await using var repository = await TestRepository.InitAsync(backend, TestRepository.Options() with { PackSize = SmallPackSize });
        var writer = new BlobWriter(repository);
        var saved = new List<BlobHandle>();
        for (int i = 0; i < 10; i++)
        {
            byte[] plaintext = RepositoryReadTests.RandomBytes(300 + i, 30_000);
            saved.Add(new BlobHandle(Id.Hash(plaintext), BlobType.Data));
            await writer.SaveBlobAsync(BlobType.Data, saved[^1].Id, plaintext, Token);
        }

        // Nine blobs filled one pack, whose upload now waits at the gate; the tenth is in the open pack.
        await Wait.UntilAsync(() => backend.WaitingPacks == 1, TimeSpan.FromSeconds(30), "the full pack's upload", Token);
        Assert.All(saved, h => Assert.False(repository.HasBlob(h), $"{h} is indexed before its pack is stored"));
        Assert.All(saved, h => Assert.True(writer.HasBlob(h), $"{h} is not known as in flight"));
        Assert.Empty(await repository.ListIdsAsync(FileType.Pack, Token));
        Assert.Empty(await repository.ListIdsAsync(FileType.Index, Token));

        var flush = writer.FlushAsync(Token);
        await Wait.UntilAsync(() => backend.WaitingPacks == 2, TimeSpan.FromSeconds(30), "both uploads at the gate", Token);
        Assert.False(flush.IsCompleted);
        Assert.Empty(await repository.ListIdsAsync(FileType.Index, Token));

        backend.Open();
        await flush;

        Assert.All(saved, h => Assert.True(repository.HasBlob(h)));
        Assert.Equal(2, (await repository.ListIdsAsync(FileType.Pack, Token)).Count);
        TestRepository.AssertResticCheckPasses(_temp);
    }

    [Fact]
    public async Task Many_threads_saving_overlapping_blobs_store_each_once_with_a_consistent_index()
    {
        await using var repository = await TestRepository.InitAsync(_temp, TestRepository.Options() with { PackSize = SmallPackSize, UploadConcurrency = 3 });
        var writer = new BlobWriter(repository);
        var blobs = Enumerable.Range(0, 300).Select(i => RepositoryReadTests.RandomBytes(1000 + i, 2000 + (i * 37 % 5000))).ToArray();
        int added = 0;

        await Parallel.ForAsync(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Token }, async (worker, ct) =>
        {
            // Each worker saves every blob, in its own order, as data and every tenth also as a tree.
            foreach (int i in Enumerable.Range(0, blobs.Length).OrderBy(i => (i * (worker + 3)) % 301))
            {
                if (await writer.SaveBlobAsync(BlobType.Data, Id.Hash(blobs[i]), blobs[i], ct))
                {
                    Interlocked.Increment(ref added);
                }

                if (i % 10 == 0 && await writer.SaveBlobAsync(BlobType.Tree, Id.Hash(blobs[i]), blobs[i], ct))
                {
                    Interlocked.Increment(ref added);
                }
            }
        });
        await writer.FlushAsync(Token);

        Assert.Equal(330, added);
        Assert.Equal(330, repository.Index.Count);
        var indexed = (await LoadIndexFilesAsync(repository)).SelectMany(f => f.Packs).SelectMany(p => p.Blobs).Select(b => b.Handle).ToList();
        Assert.Equal(330, indexed.Count);
        Assert.Equal(330, indexed.Distinct().Count());
        TestRepository.AssertResticCheckPasses(_temp);
    }

    private static List<BlobHandle> Sorted(IEnumerable<BlobHandle> handles) => [.. handles.OrderBy(h => h.Id).ThenBy(h => h.Type)];

    private static async Task<List<IndexFile>> LoadIndexFilesAsync(Repository repository)
    {
        var files = new List<IndexFile>();
        foreach (var id in await repository.ListIdsAsync(FileType.Index, Token))
        {
            files.Add(IndexFile.Parse(await repository.LoadUnpackedAsync(FileType.Index, id, Token)));
        }

        return files;
    }
}
