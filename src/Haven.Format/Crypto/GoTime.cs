// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Format.Crypto;

/// <summary>Formats times like Go's time.RFC3339Nano: trailing fraction zeros trimmed, Z for UTC.</summary>
internal static class GoTime
{
    public static string FormatRfc3339Nano(DateTimeOffset time)
    {
        string text = time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        long fraction = time.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text += "." + fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        TimeSpan offset = time.Offset;
        if (offset == TimeSpan.Zero)
        {
            return text + "Z";
        }

        char sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return text + sign + offset.Hours.ToString("D2", CultureInfo.InvariantCulture) + ":" + offset.Minutes.ToString("D2", CultureInfo.InvariantCulture);
    }
}
