// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Retention;
using static Haven.Backup.Tests.Retention.History;

namespace Haven.Backup.Tests.Retention;

/// <summary>The rules of restic 0.14's forget policy, one at a time and combined, on one group.</summary>
public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RetentionGroup Plan(RetentionPolicy policy, params string[] times) =>
        Assert.Single(RetentionPlanner.Apply(Of(times), policy, SnapshotGrouping.Default, s_now));

    [Fact]
    public void Keep_last_keeps_the_newest_snapshots_whatever_their_order_in_the_input()
    {
        var group = Plan(new RetentionPolicy { KeepLast = 2 }, "2024-01-02T00:00:00Z", "2024-01-04T00:00:00Z", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z");

        Assert.Equal(["2024-01-04T00:00:00Z", "2024-01-03T00:00:00Z"], KeptTimes(group));
        Assert.Equal(["2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z"], RemovedTimes(group));
        Assert.Equal([["last snapshot"], ["last snapshot"]], group.Reasons.Select(r => r.Matches));
        Assert.Equal([1, 0], group.Reasons.Select(r => r.Counters.Last));
    }

    [Fact]
    public void Keep_daily_keeps_the_newest_snapshot_of_each_day_and_not_the_oldest_when_counts_remain()
    {
        var group = Plan(new RetentionPolicy { KeepDaily = 5 }, "2024-01-01T08:00:00Z", "2024-01-01T20:00:00Z", "2024-01-02T09:00:00Z", "2024-01-02T23:59:59Z");

        Assert.Equal(["2024-01-02T23:59:59Z", "2024-01-01T20:00:00Z"], KeptTimes(group));
        Assert.Equal(["2024-01-02T09:00:00Z", "2024-01-01T08:00:00Z"], RemovedTimes(group));
        Assert.Equal([4, 3], group.Reasons.Select(r => r.Counters.Daily));
    }

    [Fact]
    public void Keep_hourly_buckets_by_hour()
    {
        var group = Plan(new RetentionPolicy { KeepHourly = 2 }, "2024-01-01T10:05:00Z", "2024-01-01T10:55:00Z", "2024-01-01T11:00:00Z", "2024-01-01T12:30:00Z");

        Assert.Equal(["2024-01-01T12:30:00Z", "2024-01-01T11:00:00Z"], KeptTimes(group));
        Assert.Equal(["hourly snapshot"], group.Reasons[0].Matches);
    }

    [Fact]
    public void Keep_weekly_uses_iso_weeks_across_new_year()
    {
        // 2024-12-30 (Monday) is in ISO week 1 of 2025, like 2025-01-05; 2024-12-29 is week 52 of 2024.
        var group = Plan(new RetentionPolicy { KeepWeekly = 10 }, "2024-12-29T12:00:00Z", "2024-12-30T12:00:00Z", "2025-01-05T12:00:00Z");

        Assert.Equal(["2025-01-05T12:00:00Z", "2024-12-29T12:00:00Z"], KeptTimes(group));
        Assert.Equal(["2024-12-30T12:00:00Z"], RemovedTimes(group));
    }

    [Fact]
    public void Keep_monthly_and_yearly_combine_and_list_every_rule_that_matched()
    {
        var group = Plan(new RetentionPolicy { KeepMonthly = 2, KeepYearly = 2 }, "2023-06-01T00:00:00Z", "2023-12-01T00:00:00Z", "2024-01-15T00:00:00Z", "2024-01-20T00:00:00Z");

        Assert.Equal(["2024-01-20T00:00:00Z", "2023-12-01T00:00:00Z"], KeptTimes(group));
        Assert.Equal([["monthly snapshot", "yearly snapshot"], ["monthly snapshot", "yearly snapshot"]], group.Reasons.Select(r => r.Matches));
        Assert.Equal(new KeepCounters(0, 0, 0, 0, 0, 0), group.Reasons[1].Counters);
    }

    [Fact]
    public void Buckets_read_the_wall_clock_of_each_snapshot_offset()
    {
        // The same instant, 2024-01-01T22:30Z, is January 2nd in +02:00.
        var group = Plan(new RetentionPolicy { KeepDaily = 10 }, "2024-01-02T00:30:00+02:00", "2024-01-01T21:00:00Z");

        Assert.Equal(["2024-01-02T00:30:00+02:00", "2024-01-01T21:00:00Z"], KeptTimes(group));
    }

    [Fact]
    public void Unlimited_keeps_one_snapshot_per_period_and_never_counts_down()
    {
        var group = Plan(new RetentionPolicy { KeepDaily = RetentionPolicy.Unlimited }, "2020-01-01T01:00:00Z", "2020-01-01T02:00:00Z", "2022-06-01T00:00:00Z", "2024-01-01T00:00:00Z");

        Assert.Equal(["2024-01-01T00:00:00Z", "2022-06-01T00:00:00Z", "2020-01-01T02:00:00Z"], KeptTimes(group));
        Assert.All(group.Reasons, r => Assert.Equal(-1, r.Counters.Daily));
    }

    [Fact]
    public void Keep_within_counts_from_the_newest_snapshot_not_from_now_and_excludes_the_boundary()
    {
        var group = Plan(new RetentionPolicy { KeepWithin = Duration.Parse("2d") }, "2020-01-10T12:00:00Z", "2020-01-08T12:00:01Z", "2020-01-08T12:00:00Z", "2020-01-01T00:00:00Z");

        Assert.Equal(["2020-01-10T12:00:00Z", "2020-01-08T12:00:01Z"], KeptTimes(group));
        Assert.Equal(["within 2d"], group.Reasons[1].Matches);
    }

    [Fact]
    public void Keep_within_ignores_future_snapshots_when_finding_the_newest()
    {
        var group = Plan(new RetentionPolicy { KeepWithin = Duration.Parse("1d") }, "2031-01-01T00:00:00Z", "2029-06-01T00:00:00Z", "2029-05-31T12:00:00Z", "2029-05-01T00:00:00Z");

        Assert.Equal(["2031-01-01T00:00:00Z", "2029-06-01T00:00:00Z", "2029-05-31T12:00:00Z"], KeptTimes(group));
    }

    [Fact]
    public void Keep_within_keeps_everything_when_all_snapshots_are_in_the_future()
    {
        var group = Plan(new RetentionPolicy { KeepWithin = Duration.Parse("1h") }, "2031-01-01T00:00:00Z", "2040-01-01T00:00:00Z");

        Assert.Equal(2, group.Keep.Count);
    }

    [Fact]
    public void Keep_within_periods_keep_one_per_period_inside_the_window_only()
    {
        var policy = new RetentionPolicy { KeepWithinDaily = Duration.Parse("3d"), KeepWithinMonthly = Duration.Parse("1y") };
        var group = Plan(policy, "2024-03-10T20:00:00Z", "2024-03-10T08:00:00Z", "2024-03-08T08:00:00Z", "2024-03-07T08:00:00Z", "2024-02-10T00:00:00Z", "2023-03-11T00:00:00Z", "2023-03-10T00:00:00Z");

        Assert.Equal(["2024-03-10T20:00:00Z", "2024-03-08T08:00:00Z", "2024-02-10T00:00:00Z", "2023-03-11T00:00:00Z"], KeptTimes(group));
        Assert.Equal(["daily within 3d", "monthly within 1y"], group.Reasons[0].Matches);
        Assert.Equal(["daily within 3d"], group.Reasons[1].Matches);
        Assert.Equal(["monthly within 1y"], group.Reasons[3].Matches);
    }

    [Fact]
    public void Keep_tag_keeps_snapshots_with_all_tags_of_a_list_without_using_up_counts()
    {
        var snapshots = new[]
        {
            At("2024-01-05T00:00:00Z", tags: ["a"]),
            At("2024-01-04T00:00:00Z", tags: ["a", "b"]),
            At("2024-01-03T00:00:00Z"),
            At("2024-01-02T00:00:00Z", tags: ["b"]),
        };
        var policy = new RetentionPolicy { KeepTags = [["a", "b"], ["b"]], KeepLast = 1 };

        var group = Assert.Single(RetentionPlanner.Apply(snapshots, policy, SnapshotGrouping.Parse(""), s_now));

        Assert.Equal(["2024-01-05T00:00:00Z", "2024-01-04T00:00:00Z", "2024-01-02T00:00:00Z"], KeptTimes(group));
        Assert.Equal(["has tags [a, b]", "has tags [b]"], group.Reasons[1].Matches);
        Assert.Equal(["last snapshot"], group.Reasons[0].Matches);
    }

    [Fact]
    public void An_empty_policy_keeps_everything()
    {
        var group = Plan(new RetentionPolicy(), "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");

        Assert.Empty(group.Remove);
        Assert.All(group.Reasons, r => Assert.Equal(["policy is empty"], r.Matches));
    }

    [Fact]
    public void Describes_the_policy_as_restic_does()
    {
        var policy = new RetentionPolicy
        {
            KeepLast = 2,
            KeepDaily = RetentionPolicy.Unlimited,
            KeepWithinWeekly = Duration.Parse("1m"),
            KeepTags = [["x"], ["y", "x"]],
            KeepWithin = Duration.Parse("40d"),
        };

        Assert.Equal("keep 2 latest, all daily snapshots, weekly snapshots within 1m and all snapshots with tags [[x] [y, x]] and all snapshots within 40d of the newest", policy.Describe());
    }

    [Fact]
    public void Counts_below_minus_one_and_negative_durations_are_problems()
    {
        var policy = new RetentionPolicy { KeepWeekly = -2, KeepWithinDaily = Duration.Parse("-3d") };

        Assert.Equal(
            ["--keep-weekly -2 is not allowed: give a count of 0 or more, or -1 (or 'unlimited') for no limit", "--keep-within-daily -3d is not allowed: durations cannot be negative"],
            policy.Problems());
    }
}
