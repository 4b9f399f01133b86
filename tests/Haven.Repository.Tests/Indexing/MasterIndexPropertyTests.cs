// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format;
using Haven.Format.Packs;
using Haven.Repository.Indexing;

namespace Haven.Repository.Tests.Indexing;

/// <summary>
/// MasterIndex against a plain model: random pack adds (with blobs shared between packs and
/// repeated within one), removals and lookups give what a list of listings plus a Dictionary give.
/// </summary>
public sealed class MasterIndexPropertyTests
{
    private const int Pool = 120;
    private const int PackIds = 12;

    private static readonly Id[] s_blobIds = [.. Enumerable.Range(0, Pool).Select(i => Id.Hash(BitConverter.GetBytes(i)))];
    private static readonly Id[] s_packIds = [.. Enumerable.Range(0, PackIds).Select(i => Id.Hash(BitConverter.GetBytes(-1 - i)))];

    // Kind 0-7 adds pack P with the listed blobs (type from the low bit), 8-9 removes packs P and P+1.
    private static readonly Gen<(int Kind, int Pack, int[] Blobs)> s_operation =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, PackIds - 1], Gen.Int[0, (Pool * 2) - 1].Array[0, 30]);

    [Fact]
    public void Behaves_like_a_dictionary_of_first_locations_under_random_adds_and_removals()
    {
        s_operation.Array[1, 40].Sample(operations =>
        {
            var index = new MasterIndex();
            var listings = new List<(Id Pack, List<PackedBlob> Blobs)>();
            var seenPacks = new List<Id>();
            foreach (var (kind, pack, blobs) in operations)
            {
                if (kind < 8)
                {
                    var listing = blobs.Select((b, i) => new PackedBlob(Handle(b), (uint)i * 100, 40 + (uint)b, b % 3 == 0 ? 0 : (uint)b * 7)).ToList();
                    index.AddPack(s_packIds[pack], listing);
                    if (!listings.Any(l => l.Pack == s_packIds[pack]))
                    {
                        listings.Add((s_packIds[pack], listing));
                    }

                    if (!seenPacks.Contains(s_packIds[pack]))
                    {
                        seenPacks.Add(s_packIds[pack]);
                    }
                }
                else
                {
                    var removed = new HashSet<Id> { s_packIds[pack], s_packIds[(pack + 1) % PackIds] };
                    index.RemovePacks(removed);
                    listings.RemoveAll(l => removed.Contains(l.Pack));
                }

                AssertMatches(index, listings, seenPacks);
            }
        }, iter: 200);
    }

    [Fact]
    public void Keeps_under_seventy_bytes_per_blob_and_allocates_under_ninety_while_growing()
    {
        const int packs = 200;
        const int blobsPerPack = 1000;
        var listing = new List<PackedBlob>(blobsPerPack);
        Span<byte> seed = stackalloc byte[8];
        long before = GC.GetAllocatedBytesForCurrentThread();

        var index = new MasterIndex();
        for (int p = 0; p < packs; p++)
        {
            listing.Clear();
            for (int b = 0; b < blobsPerPack; b++)
            {
                BitConverter.TryWriteBytes(seed, ((long)p << 32) | (uint)b);
                listing.Add(new PackedBlob(new BlobHandle(Id.Hash(seed), BlobType.Data), (uint)b * 300, 300, 0));
            }

            index.AddPack(Id.Hash(BitConverter.GetBytes(p + 1_000_000)), listing);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(packs * blobsPerPack, index.Count);
        Assert.InRange(allocated / (double)index.Count, 48, 90);
        Assert.InRange(index.MemoryBytes / (double)index.Count, 48, 70);
    }

    private static void AssertMatches(MasterIndex index, List<(Id Pack, List<PackedBlob> Blobs)> listings, List<Id> seenPacks)
    {
        var expected = new Dictionary<BlobHandle, BlobLocation>();
        foreach (var (pack, blobs) in listings)
        {
            foreach (var blob in blobs)
            {
                expected.TryAdd(blob.Handle, new BlobLocation(pack, blob.Offset, blob.Length, blob.UncompressedLength));
            }
        }

        Assert.Equal(expected.Count, index.Count);
        Assert.Equal(seenPacks.Count, index.PackCount);
        for (int b = 0; b < Pool * 2; b++)
        {
            var handle = Handle(b);
            bool known = expected.TryGetValue(handle, out var location);
            Assert.Equal(known, index.Contains(handle));
            Assert.Equal(known, index.TryGet(handle, out var found));
            Assert.Equal(location, found);
        }

        Assert.Equal(expected.OrderBy(e => e.Key.Id).ThenBy(e => e.Key.Type), index.Enumerate().Select(e => KeyValuePair.Create(e.Handle, e.Location)).OrderBy(e => e.Key.Id).ThenBy(e => e.Key.Type));
        Assert.Equal(seenPacks.Where(p => listings.Any(l => l.Pack == p)), index.ListedPacks());
        foreach (var pack in s_packIds)
        {
            var listing = listings.FirstOrDefault(l => l.Pack == pack).Blobs ?? [];
            Assert.Equal(listing, index.PackBlobs(pack));
        }
    }

    private static BlobHandle Handle(int b) => new(s_blobIds[b / 2], b % 2 == 0 ? BlobType.Data : BlobType.Tree);
}
