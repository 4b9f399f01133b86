// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Cli;

/// <summary>Durations as Go's time.ParseDuration spells them (restic's options use it): a sequence of number and unit, h, m, s or ms.</summary>
internal static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        int position = 0;
        while (position < text.Length)
        {
            int start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            if (position == start || !double.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount))
            {
                return false;
            }

            int unitStart = position;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }

            double? milliseconds = text[unitStart..position] switch
            {
                "ms" => amount,
                "s" => amount * 1000,
                "m" => amount * 60_000,
                "h" => amount * 3_600_000,
                _ => null,
            };
            if (milliseconds is not { } ms)
            {
                return false;
            }

            duration += TimeSpan.FromMilliseconds(ms);
        }

        return text.Length > 0;
    }

    /// <summary>Parses an option's duration, also plain seconds ("90"); zero or nonsense is a usage error naming the option.</summary>
    public static TimeSpan Parse(string option, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TryParse(text, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw new UsageException($"{option} '{text}' is not a duration: write e.g. 90s, 5m or 1h30m");
    }

    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalDays: >= 1 } when duration.TotalHours % 1 == 0 => $"{duration.TotalHours:0}h",
        { TotalMinutes: >= 1 } when duration.TotalSeconds % 60 == 0 => $"{duration.TotalMinutes:0}m",
        _ => $"{duration.TotalSeconds:0.###}s",
    };
}
