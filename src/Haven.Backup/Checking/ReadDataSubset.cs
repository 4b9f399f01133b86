// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Format;

namespace Haven.Backup.Checking;

/// <summary>
/// Which packs --read-data-subset reads: "N/M" takes the packs whose ID's first byte mod M is N-1 (as
/// restic does, so M runs with N = 1..M read every pack once); "P%" takes a random P percent.
/// </summary>
public sealed record ReadDataSubset(int Bucket, int Buckets, double Percent)
{
    /// <exception cref="FormatException">The text is neither N/M (1 ≤ N ≤ M) nor P% (0 &lt; P ≤ 100).</exception>
    public static ReadDataSubset Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.EndsWith('%'))
        {
            if (double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) && percent > 0 && percent <= 100)
            {
                return new ReadDataSubset(0, 0, percent);
            }

            throw new FormatException($"read data subset '{text}': a percentage must be above 0 and at most 100, like 10%");
        }

        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int bucket)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int buckets)
            && bucket >= 1 && buckets >= 1 && bucket <= buckets && buckets <= 256)
        {
            return new ReadDataSubset(bucket, buckets, 0);
        }

        throw new FormatException($"read data subset '{text}' must be N/M with 1 <= N <= M <= 256, or a percentage like 10%");
    }

    /// <summary>Chooses the packs to read from all packs, in a stable order.</summary>
    public List<Id> Select(IReadOnlyCollection<Id> packs, Random random)
    {
        ArgumentNullException.ThrowIfNull(packs);
        ArgumentNullException.ThrowIfNull(random);
        var sorted = packs.Order().ToList();
        if (Buckets > 0)
        {
            return sorted.Where(id => id.ToArray()[0] % Buckets == Bucket - 1).ToList();
        }

        int count = (int)Math.Ceiling(sorted.Count * Percent / 100);
        var chosen = sorted.ToArray();
        random.Shuffle(chosen);
        return chosen.Take(count).Order().ToList();
    }
}
