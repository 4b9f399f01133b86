// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Checking;
using Haven.Format;
using Haven.Format.Packs;

namespace Haven.Backup.Tests.Checking;

/// <summary>Which blobs --read-data may decrypt in place: none whose bytes another blob's range also covers.</summary>
public class PackVerifierTests
{
    [Fact]
    public void Disjoint_blobs_all_open_in_place()
    {
        PackedBlob[] blobs = [Blob(100, 50), Blob(0, 100), Blob(150, 40)];

        Assert.Empty(PackVerifier.Overlapping(blobs));
    }

    [Fact]
    public void Every_blob_touching_another_range_is_copied_first()
    {
        // 0: [0,100) holds 2: [10,20) and 3: [30,40); 1: [100,150) only touches 0's end; 4: [140,160) overlaps 1.
        PackedBlob[] blobs = [Blob(0, 100), Blob(100, 50), Blob(10, 10), Blob(30, 10), Blob(140, 20), Blob(200, 10)];

        Assert.Equal([0, 1, 2, 3, 4], PackVerifier.Overlapping(blobs).Order());
    }

    [Fact]
    public void Two_entries_for_the_same_bytes_are_both_copied()
    {
        PackedBlob[] blobs = [Blob(0, 64), Blob(64, 64), Blob(64, 64)];

        Assert.Equal([1, 2], PackVerifier.Overlapping(blobs).Order());
    }

    private static PackedBlob Blob(uint offset, uint length) =>
        new(new BlobHandle(Id.Hash(BitConverter.GetBytes(offset * 31 + length)), BlobType.Data), offset, length, 0);
}
