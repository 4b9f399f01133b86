// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Backup.Retention;

/// <summary>
/// restic 0.14's forget policy (internal/restic/snapshot_policy.go), with -1 meaning "no limit"
/// as restic 0.15 made it (restic 0.14 took -1 but then kept nothing by that rule). Pure: it reads
/// no clock; <c>now</c> only hides snapshots from the future when the newest one is looked for.
/// </summary>
public static class RetentionPlanner
{
    public static IReadOnlyList<RetentionGroup> Apply(IEnumerable<(Id Id, Snapshot Snapshot)> snapshots, RetentionPolicy policy, SnapshotGrouping grouping, DateTimeOffset now) =>
        grouping.Group(snapshots).Select(g => Apply(g.Key, g.Snapshots, policy, now)).ToList();

    /// <summary>Applies the policy to one group.</summary>
    public static RetentionGroup Apply(SnapshotGroupKey key, IEnumerable<(Id Id, Snapshot Snapshot)> group, RetentionPolicy policy, DateTimeOffset now)
    {
        // Newest first; restic's order among equal times is unspecified, so ties go by ID.
        var list = group.Select(s => (s.Id, s.Snapshot, Time: s.Snapshot.Time.ToDateTimeOffset()))
            .OrderByDescending(s => s.Time).ThenBy(s => s.Id).ToList();
        var keep = new List<(Id, Snapshot)>();
        var remove = new List<(Id, Snapshot)>();
        var reasons = new List<KeepReason>();
        if (policy.IsEmpty)
        {
            foreach (var (id, snapshot, _) in list)
            {
                keep.Add((id, snapshot));
                reasons.Add(new KeepReason(id, snapshot, ["policy is empty"], default));
            }

            return new RetentionGroup(key, keep, remove, reasons);
        }

        var counted = new[]
        {
            new Bucket(policy.KeepLast, Period.Always, "last snapshot"),
            new Bucket(policy.KeepHourly, Period.Hour, "hourly snapshot"),
            new Bucket(policy.KeepDaily, Period.Day, "daily snapshot"),
            new Bucket(policy.KeepWeekly, Period.Week, "weekly snapshot"),
            new Bucket(policy.KeepMonthly, Period.Month, "monthly snapshot"),
            new Bucket(policy.KeepYearly, Period.Year, "yearly snapshot"),
        };
        var within = new[]
        {
            new WithinBucket(policy.KeepWithinHourly, Period.Hour, "hourly within"),
            new WithinBucket(policy.KeepWithinDaily, Period.Day, "daily within"),
            new WithinBucket(policy.KeepWithinWeekly, Period.Week, "weekly within"),
            new WithinBucket(policy.KeepWithinMonthly, Period.Month, "monthly within"),
            new WithinBucket(policy.KeepWithinYearly, Period.Year, "yearly within"),
        };

        DateTimeOffset? latest = Latest(list.Select(s => s.Time), now);
        for (int nr = 0; nr < list.Count; nr++)
        {
            var (id, snapshot, time) = list[nr];
            var matches = new List<string>();
            var tags = snapshot.Tags ?? [];
            foreach (var tagList in policy.KeepTags)
            {
                if (tagList.All(tags.Contains))
                {
                    matches.Add("has tags " + RetentionPolicy.TagListText(tagList));
                }
            }

            if (!policy.KeepWithin.IsZero && IsWithin(time, policy.KeepWithin, latest))
            {
                matches.Add($"within {policy.KeepWithin}");
            }

            foreach (var bucket in counted)
            {
                if (bucket.Count > 0 || bucket.Count == RetentionPolicy.Unlimited)
                {
                    long value = BucketValue(bucket.Period, time, nr);
                    if (value != bucket.Last)
                    {
                        bucket.Last = value;
                        if (bucket.Count > 0)
                        {
                            bucket.Count--;
                        }

                        matches.Add(bucket.Reason);
                    }
                }
            }

            foreach (var bucket in within)
            {
                if (!bucket.Within.IsZero && IsWithin(time, bucket.Within, latest))
                {
                    long value = BucketValue(bucket.Period, time, nr);
                    if (value != bucket.Last)
                    {
                        bucket.Last = value;
                        matches.Add($"{bucket.Reason} {bucket.Within}");
                    }
                }
            }

            if (matches.Count > 0)
            {
                keep.Add((id, snapshot));
                var counters = new KeepCounters(counted[0].Count, counted[1].Count, counted[2].Count, counted[3].Count, counted[4].Count, counted[5].Count);
                reasons.Add(new KeepReason(id, snapshot, matches, counters));
            }
            else
            {
                remove.Add((id, snapshot));
            }
        }

        return new RetentionGroup(key, keep, remove, reasons);
    }

    /// <summary>The newest snapshot time that is not after <paramref name="now"/>; null (Go's zero time) when there is none.</summary>
    private static DateTimeOffset? Latest(IEnumerable<DateTimeOffset> times, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        foreach (var time in times)
        {
            if (time < now && (latest is null || time > latest))
            {
                latest = time;
            }
        }

        return latest;
    }

    /// <summary>restic: strictly after the newest snapshot's time minus the duration. Without a newest snapshot restic counts from year 1, so everything is within.</summary>
    private static bool IsWithin(DateTimeOffset time, Duration duration, DateTimeOffset? latest) =>
        latest is null || time > duration.Before(latest.Value);

    /// <summary>restic's bucket keys, read on the snapshot's own wall clock (its recorded offset).</summary>
    private static long BucketValue(Period period, DateTimeOffset time, int nr)
    {
        var wall = time.DateTime;
        return period switch
        {
            Period.Always => nr,
            Period.Hour => (wall.Year * 1_000_000L) + (wall.Month * 10_000L) + (wall.Day * 100L) + wall.Hour,
            Period.Day => (wall.Year * 10_000L) + (wall.Month * 100L) + wall.Day,
            Period.Week => (ISOWeek.GetYear(wall) * 100L) + ISOWeek.GetWeekOfYear(wall),
            Period.Month => (wall.Year * 100L) + wall.Month,
            _ => wall.Year,
        };
    }

    private enum Period
    {
        Always,
        Hour,
        Day,
        Week,
        Month,
        Year,
    }

    private sealed class Bucket(int count, Period period, string reason)
    {
        public int Count { get; set; } = count;

        public Period Period { get; } = period;

        public string Reason { get; } = reason;

        public long Last { get; set; } = -1;
    }

    private sealed class WithinBucket(Duration within, Period period, string reason)
    {
        public Duration Within { get; } = within;

        public Period Period { get; } = period;

        public string Reason { get; } = reason;

        public long Last { get; set; } = -1;
    }
}
