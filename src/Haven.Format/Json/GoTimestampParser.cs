// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Json;

/// <summary>Parses YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm) the way Go's time.Parse(RFC3339) does.</summary>
internal static class GoTimestampParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out GoTimestamp value)
    {
        value = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!Digits(text[..4], out int year) || !Digits(text.Slice(5, 2), out int month) || !Digits(text.Slice(8, 2), out int day)
            || !Digits(text.Slice(11, 2), out int hour) || !Digits(text.Slice(14, 2), out int minute) || !Digits(text.Slice(17, 2), out int second))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > CivilDate.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[19..];
        int nanoseconds = 0;
        if (!rest.IsEmpty && rest[0] == '.')
        {
            int count = 1;
            while (count < rest.Length && char.IsAsciiDigit(rest[count]))
            {
                count++;
            }

            int digits = count - 1;
            if (digits is 0 or > 9 || !Digits(rest[1..count], out nanoseconds))
            {
                return false;
            }

            for (int i = digits; i < 9; i++)
            {
                nanoseconds *= 10;
            }

            rest = rest[count..];
        }

        if (!TryParseZone(rest, out int offsetSeconds))
        {
            return false;
        }

        long local = (CivilDate.ToDays(year, month, day) * 86400) + (hour * 3600) + (minute * 60) + second;
        value = new GoTimestamp(local - offsetSeconds, nanoseconds, offsetSeconds);
        return true;
    }

    private static bool TryParseZone(ReadOnlySpan<char> zone, out int offsetSeconds)
    {
        offsetSeconds = 0;
        if (zone is "Z")
        {
            return true;
        }

        if (zone.Length != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':'
            || !Digits(zone.Slice(1, 2), out int hours) || !Digits(zone.Slice(4, 2), out int minutes)
            || hours > 24 || minutes > 59)
        {
            return false;
        }

        offsetSeconds = ((hours * 60) + minutes) * 60 * (zone[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
