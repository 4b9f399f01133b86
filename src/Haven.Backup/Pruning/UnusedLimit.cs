// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Backup.Pruning;

/// <summary>
/// How much unused space prune may leave behind (restic's --max-unused): a percentage of the used
/// size ("5%"), an absolute size ("100M") or "unlimited".
/// </summary>
public sealed record UnusedLimit
{
    private UnusedLimit(double? percent, ulong bytes)
    {
        Percent = percent;
        Bytes = bytes;
    }

    public static UnusedLimit Default { get; } = new(5, 0);

    public static UnusedLimit Unlimited { get; } = new(null, ulong.MaxValue);

    /// <summary>The percentage of the whole repository size, or null for an absolute limit.</summary>
    public double? Percent { get; }

    public ulong Bytes { get; }

    /// <summary>Parses "5%", "0%", "100M", "1G", "unlimited"; throws FormatException otherwise.</summary>
    public static UnusedLimit Parse(string text)
    {
        text = text.Trim();
        if (text == "unlimited")
        {
            return Unlimited;
        }

        if (text.EndsWith('%'))
        {
            if (!double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) || percent < 0 || percent >= 100 || double.IsNaN(percent))
            {
                throw new FormatException($"'{text}' is not a percentage from 0% to below 100%");
            }

            return new UnusedLimit(percent, 0);
        }

        return new UnusedLimit(null, (ulong)ByteSize.Parse(text));
    }

    /// <summary>
    /// The unused bytes allowed after prune for this much used data. A percentage p is of the size
    /// after prune, used + unused, so unused &lt;= used * p / (100 - p), as restic computes it.
    /// </summary>
    public ulong MaxUnusedBytes(ulong usedBytes) => Percent is double p ? (ulong)(usedBytes * p / (100 - p)) : Bytes;

    public override string ToString() => Percent is double p ? string.Create(CultureInfo.InvariantCulture, $"{p}%") : Bytes == ulong.MaxValue ? "unlimited" : Bytes.ToString(CultureInfo.InvariantCulture);
}
