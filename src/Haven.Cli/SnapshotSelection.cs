// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Repository.Snapshots;

namespace Haven.Cli;

/// <summary>The snapshots a command works on: those named (ID prefix or 'latest'), else every one matching the filter, oldest first.</summary>
internal static class SnapshotSelection
{
    public static async Task<List<(Id Id, Snapshot Snapshot)>> SelectAsync(Repository.Repository repository, IReadOnlyList<string> names, SnapshotFilter filter, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return (await SnapshotCatalog.LoadAllAsync(repository, cancellationToken).ConfigureAwait(false)).Where(s => filter.Matches(s.Snapshot)).ToList();
        }

        var selected = new List<(Id, Snapshot)>();
        foreach (string name in names)
        {
            selected.Add(await SnapshotCatalog.FindAsync(repository, name, filter, cancellationToken).ConfigureAwait(false));
        }

        return selected;
    }
}
