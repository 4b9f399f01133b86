// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Retention;

/// <summary>
/// Which snapshots of a group to keep, as restic's forget options: counts per period (0 = rule
/// off, -1 = <see cref="Unlimited"/>), durations relative to the group's newest snapshot, and tag
/// groups whose snapshots are always kept.
/// </summary>
public sealed record RetentionPolicy
{
    public const int Unlimited = -1;

    public int KeepLast { get; init; }

    public int KeepHourly { get; init; }

    public int KeepDaily { get; init; }

    public int KeepWeekly { get; init; }

    public int KeepMonthly { get; init; }

    public int KeepYearly { get; init; }

    public Duration KeepWithin { get; init; }

    public Duration KeepWithinHourly { get; init; }

    public Duration KeepWithinDaily { get; init; }

    public Duration KeepWithinWeekly { get; init; }

    public Duration KeepWithinMonthly { get; init; }

    public Duration KeepWithinYearly { get; init; }

    /// <summary>Each entry is one tag group: a snapshot carrying all of its tags is kept.</summary>
    public IReadOnlyList<IReadOnlyList<string>> KeepTags { get; init; } = [];

    /// <summary>No rule is set: restic then keeps everything.</summary>
    public bool IsEmpty =>
        KeepTags.Count == 0 && KeepLast == 0 && KeepHourly == 0 && KeepDaily == 0 && KeepWeekly == 0 && KeepMonthly == 0 && KeepYearly == 0 &&
        KeepWithin.IsZero && KeepWithinHourly.IsZero && KeepWithinDaily.IsZero && KeepWithinWeekly.IsZero && KeepWithinMonthly.IsZero && KeepWithinYearly.IsZero;

    /// <summary>Counts below -1 and negative durations mean nothing sensible; the message names the option.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (count, name) in Counts())
        {
            if (count < Unlimited)
            {
                yield return $"--keep-{name} {count} is not allowed: give a count of 0 or more, or -1 (or 'unlimited') for no limit";
            }
        }

        foreach (var (duration, name) in Durations())
        {
            if (duration.IsNegative)
            {
                yield return $"--keep-within{name} {duration} is not allowed: durations cannot be negative";
            }
        }
    }

    /// <summary>restic's summary line, e.g. "keep 7 daily snapshots, 4 weekly snapshots and all snapshots within 2d of the newest".</summary>
    public string Describe()
    {
        var counts = Counts().Where(c => c.Count != 0).Select(c => c.Count == Unlimited ? $"all {Noun(c.Name)}" : $"{c.Count} {Noun(c.Name)}").ToList();
        var withins = Durations().Skip(1).Where(d => !d.Duration.IsZero).Select(d => $"{d.Name.TrimStart('-')} snapshots within {d.Duration}").ToList();
        string text = counts.Count > 0 ? string.Join(", ", counts) + " snapshots" : string.Empty;
        if (withins.Count > 0)
        {
            text += (text.Length > 0 ? ", " : string.Empty) + string.Join(", ", withins);
        }

        if (KeepTags.Count > 0)
        {
            text += (text.Length > 0 ? " and " : string.Empty) + "all snapshots with tags [" + string.Join(" ", KeepTags.Select(TagListText)) + "]";
        }

        if (!KeepWithin.IsZero)
        {
            text += (text.Length > 0 ? " and " : string.Empty) + $"all snapshots within {KeepWithin} of the newest";
        }

        return "keep " + text;
    }

    /// <summary>restic prints a tag list as "[a, b]".</summary>
    public static string TagListText(IReadOnlyList<string> tags) => "[" + string.Join(", ", tags) + "]";

    private static string Noun(string name) => name == "last" ? "latest" : name;

    private IEnumerable<(int Count, string Name)> Counts()
    {
        yield return (KeepLast, "last");
        yield return (KeepHourly, "hourly");
        yield return (KeepDaily, "daily");
        yield return (KeepWeekly, "weekly");
        yield return (KeepMonthly, "monthly");
        yield return (KeepYearly, "yearly");
    }

    private IEnumerable<(Duration Duration, string Name)> Durations()
    {
        yield return (KeepWithin, string.Empty);
        yield return (KeepWithinHourly, "-hourly");
        yield return (KeepWithinDaily, "-daily");
        yield return (KeepWithinWeekly, "-weekly");
        yield return (KeepWithinMonthly, "-monthly");
        yield return (KeepWithinYearly, "-yearly");
    }
}
