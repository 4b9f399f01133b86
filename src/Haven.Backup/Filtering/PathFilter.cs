// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Filtering;

/// <summary>A set of patterns; a path is selected by it when any pattern matches.</summary>
public sealed class PathFilter
{
    public PathFilter(IEnumerable<GlobPattern> patterns)
    {
        Patterns = [.. patterns];
    }

    public static PathFilter Empty { get; } = new([]);

    public IReadOnlyList<GlobPattern> Patterns { get; }

    public bool IsEmpty => Patterns.Count == 0;

    public bool Matches(string path) => Patterns.Any(p => p.Matches(path));

    public bool MayMatchBelow(string directory) => Patterns.Any(p => p.MayMatchBelow(directory));

    /// <summary>Reads patterns from an exclude file: one per line; blank lines and lines starting with '#' are skipped.</summary>
    public static IEnumerable<GlobPattern> ReadPatternFile(string path)
    {
        foreach (string line in File.ReadAllLines(path))
        {
            string pattern = line.Trim();
            if (pattern.Length > 0 && !pattern.StartsWith('#'))
            {
                yield return new GlobPattern(pattern);
            }
        }
    }
}
