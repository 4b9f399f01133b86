// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Backup.Pruning;

/// <summary>Sizes as restic's options take them: a number with an optional unit b, k, m, g or t (powers of 1024).</summary>
public static class ByteSize
{
    public static long Parse(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new FormatException("a size is empty");
        }

        long factor = char.ToLowerInvariant(trimmed[^1]) switch
        {
            'b' => 1,
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            _ => 0,
        };
        string digits = factor == 0 ? trimmed : trimmed[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > long.MaxValue / Math.Max(1, factor))
        {
            throw new FormatException($"'{text}' is not a size (a number with an optional unit b, k, m, g or t, like 100M)");
        }

        return number * Math.Max(1, factor);
    }
}
