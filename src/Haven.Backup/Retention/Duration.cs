// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Haven.Backup.Retention;

/// <summary>
/// restic's calendar duration ("1y2m3d4h"): years, months, days and hours, applied to a time the
/// way Go's <c>AddDate</c> does, so "1m" before March 31 is March 3 (or 2), not February 28.
/// </summary>
public readonly record struct Duration(int Years, int Months, int Days, int Hours)
{
    public static Duration Zero => default;

    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0;

    public bool IsNegative => Years < 0 || Months < 0 || Days < 0 || Hours < 0;

    /// <summary>Parses "6y5m234d37h": each part a number and a unit; a unit given twice keeps the last value (as restic does).</summary>
    /// <exception cref="FormatException">The text is not a duration; the message says why.</exception>
    public static Duration Parse(string text) =>
        TryParse(text, out var value, out string? error) ? value : throw new FormatException(error);

    public static bool TryParse(string text, out Duration value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        error = null;
        var rest = text.AsSpan().Trim();
        int years = 0, months = 0, days = 0, hours = 0;
        while (!rest.IsEmpty)
        {
            bool negative = rest[0] == '-';
            if (negative)
            {
                rest = rest[1..];
            }

            int digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 0)
            {
                error = $"invalid duration '{text}': no number found (use e.g. 1y2m3d4h)";
                return false;
            }

            if (!int.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                error = $"invalid duration '{text}': the number is too large";
                return false;
            }

            number = negative ? -number : number;
            rest = rest[digits..];
            if (rest.IsEmpty)
            {
                error = $"invalid duration '{text}': no unit found after number {number} (units: y, m, d, h)";
                return false;
            }

            switch (rest[0])
            {
                case 'y': years = number; break;
                case 'm': months = number; break;
                case 'd': days = number; break;
                case 'h': hours = number; break;
                default:
                    error = $"invalid duration '{text}': invalid unit '{rest[0]}' after number {number} (units: y, m, d, h)";
                    return false;
            }

            rest = rest[1..];
        }

        value = new Duration(years, months, days, hours);
        return true;
    }

    /// <summary>The time this duration before <paramref name="reference"/>, in the reference's offset.</summary>
    public DateTimeOffset Before(DateTimeOffset reference)
    {
        var wall = reference.DateTime;
        long month0 = ((long)wall.Year * 12) + (wall.Month - 1) - ((long)Years * 12) - Months;
        long year = Math.DivRem(month0, 12, out long month);
        if (month < 0)
        {
            month += 12;
            year--;
        }

        if (year < 1)
        {
            return DateTimeOffset.MinValue;
        }

        if (year > 9999)
        {
            return DateTimeOffset.MaxValue;
        }

        // Go normalises an out-of-range day by counting on from the first of the month.
        long firstOfMonth = new DateTime((int)year, (int)month + 1, 1).Add(wall.TimeOfDay).Ticks;
        long utcTicks = firstOfMonth + ((wall.Day - 1L - Days) * TimeSpan.TicksPerDay) - (Hours * TimeSpan.TicksPerHour) - reference.Offset.Ticks;
        long margin = TimeSpan.TicksPerDay;
        if (utcTicks < DateTime.MinValue.Ticks + margin)
        {
            return DateTimeOffset.MinValue;
        }

        if (utcTicks > DateTime.MaxValue.Ticks - margin)
        {
            return DateTimeOffset.MaxValue;
        }

        return new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(reference.Offset);
    }

    /// <summary>restic's spelling: nonzero parts only, in the order y, m, d, h ("" for zero).</summary>
    public override string ToString()
    {
        string text = string.Empty;
        text += Years != 0 ? $"{Years}y" : string.Empty;
        text += Months != 0 ? $"{Months}m" : string.Empty;
        text += Days != 0 ? $"{Days}d" : string.Empty;
        text += Hours != 0 ? $"{Hours}h" : string.Empty;
        return text;
    }
}
