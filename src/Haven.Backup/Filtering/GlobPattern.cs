// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Filtering;

/// <summary>
/// A path pattern with restic's meaning: components are matched with Go's filepath.Match rules
/// (*, ?, [a-z], [^x], \ escapes), "**" stands for any number of components, and a pattern that
/// does not start with "/" may match at any depth (it is read as "**/pattern").
/// </summary>
public sealed class GlobPattern
{
    private readonly string[] _parts;

    public GlobPattern(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new ArgumentException("an empty pattern matches nothing; remove it", nameof(pattern));
        }

        Text = pattern;
        // Anchoring is read before trimming: "/" is an anchored pattern with no components (it
        // matches nothing, as in restic), not an unanchored one that would match everything.
        bool anchored = pattern.StartsWith('/');
        string trimmed = pattern.TrimEnd('/');
        var parts = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!anchored)
        {
            parts.Insert(0, "**");
        }

        foreach (string part in parts)
        {
            ComponentMatcher.Validate(part, pattern);
        }

        _parts = [.. parts];
    }

    public string Text { get; }

    /// <summary>True when the pattern matches the whole path (absolute, "/"-separated).</summary>
    public bool Matches(string path) => Match(_parts, 0, Split(path), 0, prefixOnly: false);

    /// <summary>True when the pattern might match something below <paramref name="directory"/>.</summary>
    public bool MayMatchBelow(string directory) => Match(_parts, 0, Split(directory), 0, prefixOnly: true);

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool Match(string[] parts, int p, string[] names, int n, bool prefixOnly)
    {
        while (true)
        {
            if (n == names.Length)
            {
                // Every name is used: a full match needs the pattern used up too (trailing ** may match nothing).
                if (prefixOnly)
                {
                    return p < parts.Length;
                }

                while (p < parts.Length && parts[p] == "**")
                {
                    p++;
                }

                return p == parts.Length;
            }

            if (p == parts.Length)
            {
                return false;
            }

            if (parts[p] == "**")
            {
                for (int skip = n; skip <= names.Length; skip++)
                {
                    if (Match(parts, p + 1, names, skip, prefixOnly))
                    {
                        return true;
                    }
                }

                return prefixOnly;
            }

            if (!ComponentMatcher.Matches(parts[p], names[n]))
            {
                return false;
            }

            p++;
            n++;
        }
    }

    public override string ToString() => Text;
}
