// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Logical;

/// <summary>Names close to a mistyped one (edit distance, or one containing the other), nearest first.</summary>
internal static class SimilarNames
{
    public static List<string> Find(string wanted, IEnumerable<string> names, int limit = 10)
    {
        string lower = wanted.ToLowerInvariant();
        return names
            .Select(name => (Name: name, Distance: Distance(lower, name.ToLowerInvariant())))
            .Where(candidate => candidate.Distance <= Math.Max(2, wanted.Length / 3)
                || candidate.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase) || wanted.Contains(candidate.Name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(candidate => candidate.Distance).ThenBy(candidate => candidate.Name, StringComparer.Ordinal)
            .Take(limit).Select(candidate => candidate.Name).ToList();
    }

    /// <summary>Levenshtein distance.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
