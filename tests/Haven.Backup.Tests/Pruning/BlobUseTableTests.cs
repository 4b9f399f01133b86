// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Backup.Pruning;
using Haven.Format;

namespace Haven.Backup.Tests.Pruning;

/// <summary>The compact set of used blobs that prune keeps.</summary>
public sealed class BlobUseTableTests
{
    [Fact]
    public void Adds_each_blob_once_and_tells_data_from_tree_blobs_with_the_same_id()
    {
        var table = new BlobUseTable(4);
        var id = Id.Hash("x"u8);

        Assert.True(table.Add(new BlobHandle(id, BlobType.Data)));
        Assert.False(table.Add(new BlobHandle(id, BlobType.Data)));
        Assert.False(table.Contains(new BlobHandle(id, BlobType.Tree)));
        Assert.True(table.Add(new BlobHandle(id, BlobType.Tree)));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Keeps_every_blob_when_it_grows_past_the_expected_count()
    {
        var table = new BlobUseTable(10);
        var handles = Enumerable.Range(0, 5000).Select(i => new BlobHandle(new Id(SHA256.HashData(BitConverter.GetBytes(i))), i % 3 == 0 ? BlobType.Tree : BlobType.Data)).ToList();

        Assert.All(handles, h => Assert.True(table.Add(h)));
        table.MarkStored(handles[42]);

        Assert.Equal(5000, table.Count);
        Assert.All(handles, h => Assert.True(table.Contains(h)));
        Assert.False(table.Contains(new BlobHandle(Id.Hash("absent"u8), BlobType.Data)));
        Assert.True(table.IsStored(handles[42]));
        Assert.Equal(4999, table.NotStored().Count());
    }

    [Fact]
    public void Counts_index_entries_and_flags_duplicates_only_for_used_blobs()
    {
        var table = new BlobUseTable(4);
        var used = new BlobHandle(Id.Hash("used"u8), BlobType.Data);
        var unused = new BlobHandle(Id.Hash("unused"u8), BlobType.Data);
        table.Add(used);

        Assert.Equal([used], table.MissingFromIndex());
        Assert.Equal(1, table.CountIndexEntry(used));
        Assert.False(table.IsDuplicate(used));
        Assert.Equal(2, table.CountIndexEntry(used));
        Assert.True(table.IsDuplicate(used));
        Assert.Equal(0, table.CountIndexEntry(unused));
        Assert.Empty(table.MissingFromIndex());
        table.MarkStored(unused);
        Assert.False(table.IsStored(unused));
    }

    [Fact]
    public void Costs_under_90_bytes_per_blob_when_sized_from_the_index()
    {
        const int blobs = 100_000;
        var table = new BlobUseTable(blobs);
        for (int i = 0; i < blobs; i++)
        {
            table.Add(new BlobHandle(new Id(SHA256.HashData(BitConverter.GetBytes(i))), BlobType.Data));
        }

        Assert.InRange(table.MemoryBytes / (double)blobs, 33, 90);
    }
}
