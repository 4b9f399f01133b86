// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Haven.Cli;

/// <summary>Durations on the command line: "90s", "5m", "1h30m", or plain seconds.</summary>
internal static partial class DurationText
{
    public static TimeSpan Parse(string option, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var match = Pattern().Match(text);
        if (!match.Success || text.Length == 0 || text == "0s")
        {
            throw new UsageException($"{option} '{text}' is not a duration: write e.g. 90s, 5m or 1h30m");
        }

        return TimeSpan.FromHours(Part(match, 1)) + TimeSpan.FromMinutes(Part(match, 2)) + TimeSpan.FromSeconds(Part(match, 3));
    }

    private static int Part(Match match, int group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("^(?:([0-9]{1,4})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,7})s)?$")]
    private static partial Regex Pattern();
}
