// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Retention;
using static Haven.Backup.Tests.Retention.History;

namespace Haven.Backup.Tests.Retention;

public sealed class SnapshotGroupingTests
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Default_groups_by_host_and_sorted_paths()
    {
        var snapshots = new[]
        {
            At("2024-01-01T00:00:00Z", "a", paths: ["/y", "/x"]),
            At("2024-01-02T00:00:00Z", "a", paths: ["/x", "/y"]),
            At("2024-01-03T00:00:00Z", "b", paths: ["/x", "/y"]),
            At("2024-01-04T00:00:00Z", "a", tags: ["t"], paths: ["/x"]),
        };

        var groups = SnapshotGrouping.Default.Group(snapshots);

        Assert.Equal(["(host [a], paths [/x])", "(host [a], paths [/x, /y])", "(host [b], paths [/x, /y])"], groups.Select(g => g.Key.Describe()));
        Assert.Equal([1, 2, 1], groups.Select(g => g.Snapshots.Count));
        Assert.All(groups, g => Assert.Null(g.Key.Tags));
    }

    [Fact]
    public void Grouping_by_tags_sorts_them_and_puts_untagged_snapshots_together()
    {
        var snapshots = new[]
        {
            At("2024-01-01T00:00:00Z", tags: ["b", "a"]),
            At("2024-01-02T00:00:00Z", tags: ["a", "b"]),
            At("2024-01-03T00:00:00Z"),
            At("2024-01-04T00:00:00Z", "other"),
        };

        var groups = SnapshotGrouping.Parse("tags").Group(snapshots);

        Assert.Equal(2, groups.Count);
        Assert.Equal(["a", "b"], groups.Single(g => g.Key.Tags is not null).Key.Tags!);
        Assert.Equal(2, groups.Single(g => g.Key.Tags is null).Snapshots.Count);
        Assert.All(groups, g => Assert.Equal(string.Empty, g.Key.Hostname));
        Assert.All(groups, g => Assert.Null(g.Key.Paths));
    }

    [Fact]
    public void An_empty_grouping_makes_one_group()
    {
        var snapshots = new[] { At("2024-01-01T00:00:00Z", "a"), At("2024-01-02T00:00:00Z", "b", tags: ["x"]) };

        var group = Assert.Single(SnapshotGrouping.Parse("").Group(snapshots));

        Assert.Equal("()", group.Key.Describe());
    }

    [Theory]
    [InlineData("host,paths", true, true, false)]
    [InlineData("hosts,path,tag", true, true, true)]
    [InlineData("tags,", false, false, true)]
    [InlineData("", false, false, false)]
    public void Parses_restic_group_names(string text, bool host, bool paths, bool tags)
    {
        Assert.Equal(new SnapshotGrouping(host, paths, tags), SnapshotGrouping.Parse(text));
    }

    [Fact]
    public void Rejects_an_unknown_group_name()
    {
        var error = Assert.Throws<FormatException>(() => SnapshotGrouping.Parse("host,user"));
        Assert.Equal("unknown grouping option 'user': use host, paths and/or tags, separated by commas", error.Message);
    }

    [Fact]
    public void The_policy_applies_to_each_group_separately()
    {
        var snapshots = new[]
        {
            At("2024-01-01T00:00:00Z", "a"),
            At("2024-01-02T00:00:00Z", "a"),
            At("2024-01-01T00:00:00Z", "b"),
            At("2024-01-03T00:00:00Z", "b"),
        };

        var groups = RetentionPlanner.Apply(snapshots, new RetentionPolicy { KeepLast = 1 }, SnapshotGrouping.Default, s_now);

        Assert.Equal(["2024-01-02T00:00:00Z"], KeptTimes(groups.Single(g => g.Key.Hostname == "a")));
        Assert.Equal(["2024-01-03T00:00:00Z"], KeptTimes(groups.Single(g => g.Key.Hostname == "b")));
    }
}
