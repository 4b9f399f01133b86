// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Format;
using Haven.Format.Indexes;
using Haven.Format.Packs;
using Haven.Repository.Indexing;

namespace Haven.Repository.Tests.Indexing;

/// <summary>MasterIndex: lookups by handle, the first location wins, and adds from many threads.</summary>
public sealed class MasterIndexTests
{
    private static readonly Dictionary<Id, (int Pack, int Blob)> s_blobNames =
        Enumerable.Range(0, 300).SelectMany(p => Enumerable.Range(0, 40).Select(b => (p, b))).ToDictionary(e => IdOf($"blob {e.p}/{e.b}"), e => (e.p, e.b));

    [Fact]
    public void Added_blobs_are_found_with_their_pack_and_location()
    {
        var index = new MasterIndex();
        var pack = IdOf("pack 1");
        var data = new BlobHandle(IdOf("data"), BlobType.Data);
        var tree = new BlobHandle(IdOf("tree"), BlobType.Tree);

        index.AddPack(pack, [new PackedBlob(data, 0, 100, 250), new PackedBlob(tree, 100, 60, 0)]);

        Assert.Equal(2, index.Count);
        Assert.Equal(1, index.PackCount);
        Assert.True(index.TryGet(data, out var dataLocation));
        Assert.Equal(new BlobLocation(pack, 0, 100, 250), dataLocation);
        Assert.Equal(250u, dataLocation.PlaintextLength);
        Assert.True(index.TryGet(tree, out var treeLocation));
        Assert.Equal(new BlobLocation(pack, 100, 60, 0), treeLocation);
        Assert.Equal(60u - Format.Crypto.MasterKey.Overhead, treeLocation.PlaintextLength);
        Assert.False(index.Contains(new BlobHandle(data.Id, BlobType.Tree)));
        Assert.False(index.TryGet(new BlobHandle(IdOf("missing"), BlobType.Data), out _));
    }

    [Fact]
    public void Enumerate_yields_every_blob_once_with_its_location()
    {
        var index = new MasterIndex();
        var file = new IndexFile();
        var expected = new Dictionary<BlobHandle, BlobLocation>();
        for (int p = 0; p < 3; p++)
        {
            var packId = IdOf($"pack {p}");
            var blobs = new List<PackedBlob>();
            for (uint b = 0; b < 4; b++)
            {
                var handle = new BlobHandle(IdOf($"blob {p}/{b}"), b % 2 == 0 ? BlobType.Data : BlobType.Tree);
                blobs.Add(new PackedBlob(handle, b * 50, 50, 0));
                expected.Add(handle, new BlobLocation(packId, b * 50, 50, 0));
            }

            file.Packs.Add(new IndexPack(packId, blobs));
        }

        index.Add(file);

        Assert.Equal(3, index.PackCount);
        Assert.Equal(expected.OrderBy(e => e.Key.Id), index.Enumerate().Select(e => KeyValuePair.Create(e.Handle, e.Location)).OrderBy(e => e.Key.Id));
    }

    [Fact]
    public void A_blob_in_two_packs_keeps_the_first_location()
    {
        var index = new MasterIndex();
        var blob = new BlobHandle(IdOf("twice"), BlobType.Data);
        index.AddPack(IdOf("first"), [new PackedBlob(blob, 10, 70, 0)]);
        index.AddPack(IdOf("second"), [new PackedBlob(blob, 0, 80, 0)]);

        Assert.Equal(1, index.Count);
        Assert.Equal(2, index.PackCount);
        Assert.True(index.TryGet(blob, out var location));
        Assert.Equal(new BlobLocation(IdOf("first"), 10, 70, 0), location);
    }

    [Fact]
    public void Adding_the_same_pack_again_does_not_duplicate_it()
    {
        var index = new MasterIndex();
        var blob = new BlobHandle(IdOf("b"), BlobType.Data);
        index.AddPack(IdOf("p"), [new PackedBlob(blob, 0, 70, 0)]);
        index.AddPack(IdOf("p"), [new PackedBlob(blob, 0, 70, 0)]);

        Assert.Equal(1, index.PackCount);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Concurrent_adds_and_lookups_see_every_blob_at_its_own_pack()
    {
        var index = new MasterIndex();
        const int packs = 400;
        const int blobsPerPack = 50;

        Parallel.For(0, packs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, p =>
        {
            var packId = IdOf($"pack {p}");
            var blobs = Enumerable.Range(0, blobsPerPack)
                .Select(b => new PackedBlob(new BlobHandle(IdOf($"blob {p}/{b}"), BlobType.Data), (uint)b * 100, 100, 0))
                .ToList();
            index.AddPack(packId, blobs);
            foreach (var blob in blobs)
            {
                // Readers run while other threads add: every blob added so far is found, at the right pack.
                Assert.True(index.TryGet(blob.Handle, out var location));
                Assert.Equal(packId, location.PackId);
            }
        });

        Assert.Equal(packs, index.PackCount);
        Assert.Equal(packs * blobsPerPack, index.Count);
        for (int p = 0; p < packs; p++)
        {
            Assert.True(index.TryGet(new BlobHandle(IdOf($"blob {p}/7"), BlobType.Data), out var location));
            Assert.Equal(new BlobLocation(IdOf($"pack {p}"), 700, 100, 0), location);
        }
    }

    [Fact]
    public async Task Readers_enumerating_and_looking_up_during_adds_and_removals_see_consistent_locations()
    {
        var index = new MasterIndex();
        const int packs = 300;
        const int blobsPerPack = 40;
        var removed = Enumerable.Range(0, packs).Where(p => p % 7 == 3).Select(p => IdOf($"pack {p}")).ToHashSet();
        var cancellation = TestContext.Current.CancellationToken;
        int writersDone = 0;

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            for (int p = w; p < packs; p += 2)
            {
                index.AddPack(IdOf($"pack {p}"), Enumerable.Range(0, blobsPerPack).Select(b => BlobOf(p, b)).ToList());
                if (p % 50 == 49)
                {
                    index.RemovePacks(removed);
                }
            }

            Interlocked.Increment(ref writersDone);
        }, cancellation)).ToList();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            int rounds = 0;
            while (Volatile.Read(ref writersDone) < 2 || rounds < 2)
            {
                rounds++;
                foreach (var (handle, location) in index.Enumerate())
                {
                    // Every blob name says its pack and position, so any location seen can be checked.
                    var (p, b) = Parse(handle);
                    Assert.Equal(new BlobLocation(IdOf($"pack {p}"), (uint)b * 100, 100, 0), location);
                }

                for (int p = r; p < packs; p += 5)
                {
                    var handle = BlobOf(p, p % blobsPerPack).Handle;
                    if (index.TryGet(handle, out var location))
                    {
                        Assert.Equal(IdOf($"pack {p}"), location.PackId);
                    }
                }
            }
        }, cancellation)).ToList();
        await Task.WhenAll([.. writers, .. readers]);
        index.RemovePacks(removed);

        int kept = packs - removed.Count;
        Assert.Equal(kept * blobsPerPack, index.Count);
        Assert.Equal(kept, index.ListedPacks().Count);
        for (int p = 0; p < packs; p++)
        {
            Assert.Equal(!removed.Contains(IdOf($"pack {p}")), index.Contains(BlobOf(p, 5).Handle));
        }
    }

    private static PackedBlob BlobOf(int pack, int blob) =>
        new(new BlobHandle(IdOf($"blob {pack}/{blob}"), BlobType.Data), (uint)blob * 100, 100, 0);

    private static (int Pack, int Blob) Parse(BlobHandle handle) => s_blobNames[handle.Id];

    private static Id IdOf(string text) => Id.Hash(Encoding.UTF8.GetBytes(text));
}
