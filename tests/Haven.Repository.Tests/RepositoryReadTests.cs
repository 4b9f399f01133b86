// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Format;
using Haven.Repository.Errors;
using Haven.Repository.Writing;
using Haven.Testing;

namespace Haven.Repository.Tests;

/// <summary>Reads check every file and blob against its ID: damage is reported with names, never returned.</summary>
public sealed class RepositoryReadTests : IDisposable
{
    private readonly TempDirectory _temp = new("repo-read");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_unpacked_file_round_trips_through_save_and_load()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        byte[] json = Encoding.UTF8.GetBytes("{\"hello\":\"world\"}");

        var id = await repository.SaveUnpackedAsync(FileType.Snapshot, json, TestContext.Current.CancellationToken);

        Assert.Equal(json, await repository.LoadUnpackedAsync(FileType.Snapshot, id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LoadUnpackedAsync_rejects_a_file_whose_hash_does_not_match_its_name()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        var id = await repository.SaveUnpackedAsync(FileType.Snapshot, Encoding.UTF8.GetBytes("{}"), TestContext.Current.CancellationToken);
        var other = Id.Hash(Encoding.UTF8.GetBytes("another name"));
        string folder = Path.Combine(TestRepository.PathIn(_temp), "snapshots");
        File.Copy(Path.Combine(folder, id.ToString()), Path.Combine(folder, other.ToString()));

        var error = await Assert.ThrowsAsync<DamagedDataException>(() => repository.LoadUnpackedAsync(FileType.Snapshot, other, TestContext.Current.CancellationToken));

        Assert.Contains(other.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadBlobAsync_of_a_tampered_pack_throws_DamagedDataException_naming_pack_and_blob()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        byte[] plaintext = RandomBytes(1, 10_000);
        var id = Id.Hash(plaintext);
        var writer = new BlobWriter(repository);
        await writer.SaveBlobAsync(BlobType.Data, id, plaintext, TestContext.Current.CancellationToken);
        await writer.FlushAsync(TestContext.Current.CancellationToken);
        Assert.True(repository.Index.TryGet(new BlobHandle(id, BlobType.Data), out var location));
        Assert.Equal(plaintext, await repository.LoadBlobAsync(new BlobHandle(id, BlobType.Data), TestContext.Current.CancellationToken));

        string pack = Path.Combine(TestRepository.PathIn(_temp), "data", location.PackId.ToString()[..2], location.PackId.ToString());
        byte[] bytes = File.ReadAllBytes(pack);
        bytes[location.Offset + (location.Length / 2)] ^= 0x40;
        File.WriteAllBytes(pack, bytes);

        var error = await Assert.ThrowsAsync<DamagedDataException>(() => repository.LoadBlobAsync(new BlobHandle(id, BlobType.Data), TestContext.Current.CancellationToken));

        Assert.Contains($"pack {location.PackId}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"blob {id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadBlobAsync_of_a_blob_missing_from_the_index_throws_DamagedDataException_naming_it()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        var id = Id.Hash(Encoding.UTF8.GetBytes("never stored"));

        Assert.False(repository.HasBlob(new BlobHandle(id, BlobType.Tree)));
        var error = await Assert.ThrowsAsync<DamagedDataException>(() => repository.LoadBlobAsync(new BlobHandle(id, BlobType.Tree), TestContext.Current.CancellationToken));

        Assert.Contains($"blob {id} (tree) is not in the index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_stored_as_data_is_not_found_as_a_tree()
    {
        await using var repository = await TestRepository.InitAsync(_temp);
        byte[] plaintext = RandomBytes(2, 100);
        var id = Id.Hash(plaintext);
        var writer = new BlobWriter(repository);
        await writer.SaveBlobAsync(BlobType.Data, id, plaintext, TestContext.Current.CancellationToken);
        await writer.FlushAsync(TestContext.Current.CancellationToken);

        Assert.True(repository.HasBlob(new BlobHandle(id, BlobType.Data)));
        Assert.False(repository.HasBlob(new BlobHandle(id, BlobType.Tree)));
        await Assert.ThrowsAsync<DamagedDataException>(() => repository.LoadBlobAsync(new BlobHandle(id, BlobType.Tree), TestContext.Current.CancellationToken));
    }

    internal static byte[] RandomBytes(int seed, int length)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
