// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Backup.Retention;
using Haven.Format;
using Haven.Format.Json;
using Haven.Format.Snapshots;

namespace Haven.Backup.Tests.Retention;

/// <summary>Invariants of the planner over random histories and policies.</summary>
public sealed class RetentionPropertyTests
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<List<(Id Id, Snapshot Snapshot)>> s_history =
        Gen.Select(Gen.Long[1_600_000_000L, 1_700_000_000L], Gen.Int[-12, 12], Gen.Int[0, 2], Gen.Bool)
            .Array[0, 60]
            .Select(entries => entries.Select((e, i) =>
            {
                var id = new Id(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
                var snapshot = new Snapshot
                {
                    Time = GoTimestamp.FromUnix(e.Item1, 0, e.Item2 * 3600),
                    Hostname = "h" + e.Item3,
                    Paths = ["/data"],
                    Tags = e.Item4 ? ["keep"] : null,
                };
                return (id, snapshot);
            }).ToList());

    private static readonly Gen<RetentionPolicy> s_policy =
        Gen.Select(Gen.Int[-1, 5].Array[6], Gen.Int[0, 40].Array[6], Gen.Bool)
            .Select((counts, days, tag) => new RetentionPolicy
            {
                KeepLast = counts[0],
                KeepHourly = counts[1],
                KeepDaily = counts[2],
                KeepWeekly = counts[3],
                KeepMonthly = counts[4],
                KeepYearly = counts[5],
                KeepWithin = new Duration(0, 0, days[0], 0),
                KeepWithinHourly = new Duration(0, 0, days[1], 0),
                KeepWithinDaily = new Duration(0, 0, days[2], 0),
                KeepWithinWeekly = new Duration(0, 0, days[3], 0),
                KeepWithinMonthly = new Duration(0, days[4] % 13, 0, 0),
                KeepWithinYearly = new Duration(days[5] % 3, 0, 0, 0),
                KeepTags = tag ? [["keep"]] : [],
            });

    [Fact]
    public void Every_snapshot_is_kept_with_a_reason_or_removed_and_any_count_keeps_the_newest()
    {
        Gen.Select(s_history, s_policy, Gen.Int[0, 3]).Sample((history, policy, grouping) =>
        {
            var groups = RetentionPlanner.Apply(history, policy, new SnapshotGrouping(grouping > 0, true, grouping > 1), s_now);

            var kept = groups.SelectMany(g => g.Keep).Select(s => s.Id).ToList();
            var removed = groups.SelectMany(g => g.Remove).Select(s => s.Id).ToList();
            Assert.Equal(history.Select(s => s.Id).Order(), kept.Concat(removed).Order());
            Assert.All(groups, g => Assert.Equal(g.Keep.Select(k => k.Id), g.Reasons.Select(r => r.Id)));
            Assert.All(groups.SelectMany(g => g.Reasons), r => Assert.NotEmpty(r.Matches));
            bool counts = policy.KeepLast != 0 || policy.KeepHourly != 0 || policy.KeepDaily != 0 || policy.KeepWeekly != 0 || policy.KeepMonthly != 0 || policy.KeepYearly != 0;
            Assert.All(groups, g => Assert.True(!counts || g.Reasons[0].Id == Newest(g)));
        });
    }

    /// <summary>The newest snapshot of a group; among equal times the smallest ID, the planner's tie-break.</summary>
    private static Id Newest(RetentionGroup group) =>
        group.Keep.Concat(group.Remove).OrderByDescending(s => s.Snapshot.Time.ToDateTimeOffset()).ThenBy(s => s.Id).First().Id;

    [Fact]
    public void Keep_last_n_keeps_exactly_the_n_newest_of_each_group()
    {
        Gen.Select(s_history, Gen.Int[1, 10]).Sample((history, n) =>
        {
            foreach (var group in RetentionPlanner.Apply(history, new RetentionPolicy { KeepLast = n }, SnapshotGrouping.Default, s_now))
            {
                var all = group.Keep.Concat(group.Remove).OrderByDescending(s => s.Snapshot.Time.ToDateTimeOffset()).ThenBy(s => s.Id).Select(s => s.Id);
                Assert.Equal(all.Take(n), group.Keep.Select(k => k.Id));
            }
        });
    }

    [Fact]
    public void Adding_a_rule_never_removes_a_snapshot_that_was_kept()
    {
        Gen.Select(s_history, s_policy, s_policy).Sample((history, first, second) =>
        {
            var combined = first with
            {
                KeepLast = Math.Max(first.KeepLast, second.KeepLast) is var l && (first.KeepLast == -1 || second.KeepLast == -1) ? -1 : l,
                KeepTags = [.. first.KeepTags, .. second.KeepTags],
            };
            var keptBefore = RetentionPlanner.Apply(history, first, SnapshotGrouping.Default, s_now).SelectMany(g => g.Keep).Select(k => k.Id).ToHashSet();
            var keptAfter = RetentionPlanner.Apply(history, combined, SnapshotGrouping.Default, s_now).SelectMany(g => g.Keep).Select(k => k.Id).ToHashSet();
            Assert.Subset(keptAfter, keptBefore);
        });
    }
}
