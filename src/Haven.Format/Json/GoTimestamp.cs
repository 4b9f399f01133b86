// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Haven.Format.Json;

/// <summary>
/// A Go <c>time.Time</c> as restic stores it: an instant with nanoseconds plus the zone offset it
/// was written in. <see cref="ToString"/> is Go's RFC3339Nano, byte for byte; DateTimeOffset's "o"
/// format is not (it always prints seven fraction digits and keeps only 100 ns).
/// </summary>
/// <param name="UnixSeconds">Seconds since 1970-01-01T00:00:00Z (the instant, independent of the offset).</param>
/// <param name="Nanoseconds">0..999,999,999.</param>
/// <param name="OffsetSeconds">The zone offset east of UTC the time is shown in.</param>
public readonly record struct GoTimestamp(long UnixSeconds, int Nanoseconds, int OffsetSeconds)
{
    // Seconds from 0001-01-01 to 1970-01-01.
    private const long ZeroUnixSeconds = -62135596800;

    /// <summary>Go's zero time, 0001-01-01T00:00:00Z, which restic writes for "unset".</summary>
    public static GoTimestamp Zero => new(ZeroUnixSeconds, 0, 0);

    /// <summary>True for the zero instant in any zone, like Go's Time.IsZero.</summary>
    public bool IsZero => UnixSeconds == ZeroUnixSeconds && Nanoseconds == 0;

    /// <summary>Builds a timestamp, normalising nanoseconds outside 0..999,999,999 into the seconds.</summary>
    public static GoTimestamp FromUnix(long seconds, long nanoseconds, int offsetSeconds)
    {
        seconds += Math.DivRem(nanoseconds, 1_000_000_000L, out long rest);
        if (rest < 0)
        {
            rest += 1_000_000_000L;
            seconds--;
        }

        return new GoTimestamp(seconds, (int)rest, offsetSeconds);
    }

    public static GoTimestamp FromDateTimeOffset(DateTimeOffset value)
    {
        long ticks = value.UtcTicks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long restTicks);
        return FromUnix(seconds, restTicks * 100, (int)(value.Offset.Ticks / TimeSpan.TicksPerSecond));
    }

    /// <summary>Converts to a DateTimeOffset (offset rounded to minutes, time truncated to 100 ns).</summary>
    public DateTimeOffset ToDateTimeOffset()
    {
        long ticks = DateTime.UnixEpoch.Ticks + (UnixSeconds * TimeSpan.TicksPerSecond) + (Nanoseconds / 100);
        var offset = TimeSpan.FromMinutes(OffsetSeconds / 60);
        return new DateTimeOffset(ticks + offset.Ticks, offset);
    }

    /// <summary>
    /// Go RFC3339Nano: fraction without trailing zeros (none when zero), "Z" for offset 0, else ±hh:mm.
    /// The year is clamped to 0..9999 as restic does before marshalling node times.
    /// </summary>
    public override string ToString()
    {
        long local = UnixSeconds + OffsetSeconds;
        long days = Math.DivRem(local, 86400, out long secondOfDay);
        if (secondOfDay < 0)
        {
            secondOfDay += 86400;
            days--;
        }

        CivilDate.FromDays(days, out long year, out int month, out int day);
        if (year < 0 || year > 9999)
        {
            // Only the year changes; Go's time.Date then normalises Feb 29 of a common year to Mar 1.
            year = Math.Clamp(year, 0, 9999);
            CivilDate.FromDays(CivilDate.ToDays(year, month, day), out year, out month, out day);
        }

        var text = new StringBuilder(36);
        Append(text, (int)year, 4).Append('-');
        Append(text, month, 2).Append('-');
        Append(text, day, 2).Append('T');
        Append(text, (int)(secondOfDay / 3600), 2).Append(':');
        Append(text, (int)(secondOfDay / 60 % 60), 2).Append(':');
        Append(text, (int)(secondOfDay % 60), 2);
        AppendFraction(text, Nanoseconds);
        AppendOffset(text, OffsetSeconds);
        return text.ToString();
    }

    private static void AppendFraction(StringBuilder text, int nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return;
        }

        int digits = 9;
        while (nanoseconds % 10 == 0)
        {
            nanoseconds /= 10;
            digits--;
        }

        text.Append('.');
        Append(text, nanoseconds, digits);
    }

    private static void AppendOffset(StringBuilder text, int offsetSeconds)
    {
        if (offsetSeconds == 0)
        {
            text.Append('Z');
            return;
        }

        int minutes = Math.Abs(offsetSeconds) / 60;
        text.Append(offsetSeconds < 0 ? '-' : '+');
        Append(text, minutes / 60, 2).Append(':');
        Append(text, minutes % 60, 2);
    }

    private static StringBuilder Append(StringBuilder text, int value, int width)
    {
        Span<char> digits = stackalloc char[10];
        for (int i = width - 1; i >= 0; i--)
        {
            digits[i] = (char)('0' + (value % 10));
            value /= 10;
        }

        return text.Append(digits[..width]);
    }

    /// <summary>Parses RFC 3339 with 0–9 fraction digits and a required zone (Z or ±hh:mm).</summary>
    /// <exception cref="FormatException">The text is not such a time.</exception>
    public static GoTimestamp Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"'{text}' is not an RFC 3339 time with a zone");
        }

        return value;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out GoTimestamp value) =>
        TryParse(text.AsSpan(), out value);

    public static bool TryParse(ReadOnlySpan<char> text, out GoTimestamp value) =>
        GoTimestampParser.TryParse(text, out value);
}
