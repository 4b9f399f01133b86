// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Snapshots;

namespace Haven.Repository.Snapshots;

/// <summary>
/// restic's snapshot filter: any of the hosts; all of the paths; any of the tag groups, where a
/// group ("a,b") needs all of its tags. An empty part matches everything.
/// </summary>
public sealed record SnapshotFilter(IReadOnlyList<string> Hosts, IReadOnlyList<string> Paths, IReadOnlyList<string> TagGroups)
{
    public static SnapshotFilter None { get; } = new([], [], []);

    public bool Matches(Snapshot snapshot)
    {
        if (Hosts.Count > 0 && !Hosts.Contains(snapshot.Hostname ?? string.Empty))
        {
            return false;
        }

        foreach (string path in Paths)
        {
            if (snapshot.Paths is null || !snapshot.Paths.Contains(path))
            {
                return false;
            }
        }

        if (TagGroups.Count == 0)
        {
            return true;
        }

        var tags = snapshot.Tags ?? [];
        foreach (string group in TagGroups)
        {
            var wanted = group.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (wanted.All(tags.Contains))
            {
                return true;
            }
        }

        return false;
    }
}
