// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Globalization;
using Haven.Backup.Retention;

namespace Haven.Cli;

/// <summary>forget's --keep-* options, read once into a <see cref="RetentionPolicy"/>.</summary>
internal sealed class RetentionOptions
{
    private readonly Option<string?>[] _counts =
    [
        new("--keep-last", "-l") { Description = "Keep the last N snapshots (-1 or 'unlimited': all)" },
        new("--keep-hourly") { Description = "Keep the last N hourly snapshots (-1 or 'unlimited': all)" },
        new("--keep-daily", "-d") { Description = "Keep the last N daily snapshots (-1 or 'unlimited': all)" },
        new("--keep-weekly", "-w") { Description = "Keep the last N weekly snapshots (-1 or 'unlimited': all)" },
        new("--keep-monthly", "-m") { Description = "Keep the last N monthly snapshots (-1 or 'unlimited': all)" },
        new("--keep-yearly", "-y") { Description = "Keep the last N yearly snapshots (-1 or 'unlimited': all)" },
    ];

    private readonly Option<string?>[] _durations =
    [
        new("--keep-within") { Description = "Keep snapshots newer than DURATION (e.g. 1y5m7d2h) before the group's newest snapshot" },
        new("--keep-within-hourly") { Description = "Keep hourly snapshots within DURATION of the newest snapshot" },
        new("--keep-within-daily") { Description = "Keep daily snapshots within DURATION of the newest snapshot" },
        new("--keep-within-weekly") { Description = "Keep weekly snapshots within DURATION of the newest snapshot" },
        new("--keep-within-monthly") { Description = "Keep monthly snapshots within DURATION of the newest snapshot" },
        new("--keep-within-yearly") { Description = "Keep yearly snapshots within DURATION of the newest snapshot" },
    ];

    private readonly Option<string[]> _keepTags = new("--keep-tag") { Description = "Keep snapshots with all of these tags (a,b; may be repeated)" };

    public void AddTo(Command command)
    {
        foreach (var option in _counts)
        {
            command.Add(option);
        }

        foreach (var option in _durations)
        {
            command.Add(option);
        }

        command.Add(_keepTags);
    }

    /// <exception cref="UsageException">A count or duration cannot be read, or is negative.</exception>
    public RetentionPolicy Read(ParseResult result)
    {
        var counts = _counts.Select(o => Count(o, result.GetValue(o))).ToArray();
        var durations = _durations.Select(o => Within(o, result.GetValue(o))).ToArray();
        var policy = new RetentionPolicy
        {
            KeepLast = counts[0],
            KeepHourly = counts[1],
            KeepDaily = counts[2],
            KeepWeekly = counts[3],
            KeepMonthly = counts[4],
            KeepYearly = counts[5],
            KeepWithin = durations[0],
            KeepWithinHourly = durations[1],
            KeepWithinDaily = durations[2],
            KeepWithinWeekly = durations[3],
            KeepWithinMonthly = durations[4],
            KeepWithinYearly = durations[5],
            KeepTags = (result.GetValue(_keepTags) ?? []).Select(TagList).ToList(),
        };
        string? problem = policy.Problems().FirstOrDefault();
        return problem is null ? policy : throw new UsageException(problem);
    }

    /// <summary>restic's tag list "a,b": comma-separated, spaces trimmed, empty parts dropped.</summary>
    public static IReadOnlyList<string> TagList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Count(Option<string?> option, string? text)
    {
        if (text is null)
        {
            return 0;
        }

        if (text == "unlimited")
        {
            return RetentionPolicy.Unlimited;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int count)
            ? count
            : throw new UsageException($"{option.Name} {text}: give a whole number, or -1 or 'unlimited' for no limit");
    }

    private static Duration Within(Option<string?> option, string? text)
    {
        if (text is null)
        {
            return Duration.Zero;
        }

        return Duration.TryParse(text, out var duration, out string? error) ? duration : throw new UsageException($"{option.Name}: {error}");
    }
}
