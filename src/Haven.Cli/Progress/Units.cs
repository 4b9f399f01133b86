// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Cli.Progress;

/// <summary>Sizes, rates and durations as restic prints them (KiB/MiB/GiB, h:mm:ss).</summary>
internal static class Units
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(double bytes)
    {
        int unit = 0;
        while (Math.Abs(bytes) >= 1024 && unit < s_units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes:0} B" : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.000} {s_units[unit]}");
    }

    public static string Rate(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
    }

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s";
}
