// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Copying;
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Snapshots;

namespace Haven.Backup.Tests.Copying;

/// <summary>copy's test for "already copied" is restic's: every field but parent and original, paths and tags as sets.</summary>
public sealed class SnapshotSimilarityTests
{
    private static readonly Id s_tree = Id.Hash([1]);

    [Fact]
    public void A_copy_with_another_parent_and_original_is_the_same_snapshot()
    {
        var copy = Original();
        copy.Parent = Id.Hash([2]);
        copy.Original = Id.Hash([3]);

        Assert.True(SnapshotCopier.AreSame(Original(), copy));
    }

    [Fact]
    public void Paths_and_tags_in_another_order_are_the_same_snapshot()
    {
        var copy = Original();
        copy.Paths = ["/srv", "/home"];
        copy.Tags = ["b", "a"];

        Assert.True(SnapshotCopier.AreSame(Original(), copy));
    }

    [Fact]
    public void The_same_instant_written_with_another_offset_is_the_same_time()
    {
        var copy = Original();
        copy.Time = GoTimestamp.FromDateTimeOffset(Original().Time.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(2)));

        Assert.True(SnapshotCopier.AreSame(Original(), copy));
    }

    [Theory]
    [InlineData("time")]
    [InlineData("tree")]
    [InlineData("hostname")]
    [InlineData("username")]
    [InlineData("uid")]
    [InlineData("paths")]
    [InlineData("tags")]
    [InlineData("excludes")]
    [InlineData("excludes order")]
    public void Any_other_difference_makes_another_snapshot(string field)
    {
        var other = Original();
        switch (field)
        {
            case "time": other.Time = GoTimestamp.FromDateTimeOffset(other.Time.ToDateTimeOffset().AddTicks(10)); break;
            case "tree": other.Tree = Id.Hash([9]); break;
            case "hostname": other.Hostname = "elsewhere"; break;
            case "username": other.Username = "bob"; break;
            case "uid": other.Uid = 1001; break;
            case "paths": other.Paths = ["/home"]; break;
            case "tags": other.Tags = ["a", "c"]; break;
            case "excludes": other.Excludes = ["*.tmp"]; break;
            case "excludes order": other.Excludes = ["*.log", "*.bak"]; break;
        }

        Assert.False(SnapshotCopier.AreSame(Original(), other));
    }

    private static Snapshot Original() => new()
    {
        Time = GoTimestamp.FromDateTimeOffset(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567)),
        Tree = s_tree,
        Paths = ["/home", "/srv"],
        Hostname = "host",
        Username = "alice",
        Uid = 1000,
        Gid = 1000,
        Tags = ["a", "b"],
        Excludes = ["*.bak", "*.log"],
    };
}
