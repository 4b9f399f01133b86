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

    // The pack streams through windows: they cover it end to end, each blob lies whole in the window its start falls in,
    // and a window is only longer than WindowBytes to finish a blob (or a chain of overlapping ones).
    [Fact]
    public void Windows_cover_the_pack_and_never_cut_a_blob()
    {
        const uint Mib = 1 << 20;
        long size = (17 * Mib) + 300;
        PackedBlob[] blobs = [Blob(0, 3 * Mib), Blob(3 * Mib, 2 * Mib), Blob(5 * Mib, 6 * Mib), Blob(11 * Mib, 100), Blob((11 * Mib) + 100, 6 * Mib), Blob(12 * Mib, 10)];
        var damages = new string?[blobs.Length];

        var windows = PackVerifier.Windows(blobs, size, damages);

        Assert.Equal(0, windows[0].Start);
        Assert.Equal(size, windows[^1].End);
        for (int w = 1; w < windows.Count; w++)
        {
            Assert.Equal(windows[w - 1].End, windows[w].Start);
        }

        Assert.Equal([0, 1, 2, 3, 4, 5], windows.SelectMany(w => w.Blobs).Order());
        foreach (var window in windows)
        {
            Assert.All(window.Blobs, i => Assert.InRange(blobs[i].Offset, window.Start, window.End - blobs[i].Length));
            Assert.True(window.End - window.Start <= PackVerifier.WindowBytes || window.Blobs.Any(i => blobs[i].Offset + (long)blobs[i].Length == window.End));
        }

        Assert.All(damages, Assert.Null);
    }

    [Fact]
    public void A_blob_beyond_the_end_of_the_pack_is_damaged_and_read_in_no_window()
    {
        PackedBlob[] blobs = [Blob(0, 100), Blob(90, 50), Blob(500, 10)];
        var damages = new string?[blobs.Length];

        var windows = PackVerifier.Windows(blobs, 120, damages);

        Assert.Equal([0], windows.SelectMany(w => w.Blobs));
        Assert.Equal(120, windows[^1].End);
        Assert.Null(damages[0]);
        Assert.Contains("lies beyond the end of the pack (120 bytes)", damages[1]);
        Assert.Contains("lies beyond the end of the pack (120 bytes)", damages[2]);
    }

    private static PackedBlob Blob(uint offset, uint length) =>
        new(new BlobHandle(Id.Hash(BitConverter.GetBytes(offset * 31 + length)), BlobType.Data), offset, length, 0);
}
