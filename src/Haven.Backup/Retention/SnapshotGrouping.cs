// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;

namespace Haven.Backup.Retention;

/// <summary>restic's --group-by: snapshots with equal host, paths and/or tags (each sorted) form one group.</summary>
public sealed record SnapshotGrouping(bool ByHost, bool ByPaths, bool ByTags)
{
    /// <summary>restic's default, "host,paths".</summary>
    public static SnapshotGrouping Default { get; } = new(true, true, false);

    /// <summary>Parses "host,paths,tags" (singular names too); "" means one group of everything.</summary>
    /// <exception cref="FormatException">An unknown criterion; the message lists the valid ones.</exception>
    public static SnapshotGrouping Parse(string text)
    {
        bool host = false, paths = false, tags = false;
        foreach (string part in text.Split(','))
        {
            switch (part)
            {
                case "host" or "hosts": host = true; break;
                case "path" or "paths": paths = true; break;
                case "tag" or "tags": tags = true; break;
                case "": break;
                default: throw new FormatException($"unknown grouping option '{part}': use host, paths and/or tags, separated by commas");
            }
        }

        return new SnapshotGrouping(host, paths, tags);
    }

    /// <summary>The group of each snapshot, ordered by key; within a group the input order is kept.</summary>
    public IReadOnlyList<(SnapshotGroupKey Key, List<(Id Id, Snapshot Snapshot)> Snapshots)> Group(IEnumerable<(Id Id, Snapshot Snapshot)> snapshots)
    {
        var groups = new Dictionary<string, (SnapshotGroupKey Key, List<(Id, Snapshot)> Snapshots)>(StringComparer.Ordinal);
        foreach (var entry in snapshots)
        {
            var key = KeyOf(entry.Snapshot);
            string text = key.ToString();
            if (!groups.TryGetValue(text, out var group))
            {
                group = (key, []);
                groups.Add(text, group);
            }

            group.Snapshots.Add(entry);
        }

        return groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value).ToList();
    }

    public SnapshotGroupKey KeyOf(Snapshot snapshot) => new(
        ByHost ? snapshot.Hostname ?? string.Empty : string.Empty,
        ByPaths ? Sorted(snapshot.Paths) : null,
        ByTags ? Sorted(snapshot.Tags) : null);

    private static IReadOnlyList<string>? Sorted(List<string>? values) =>
        values is null or { Count: 0 } ? null : values.Order(StringComparer.Ordinal).ToList();
}
