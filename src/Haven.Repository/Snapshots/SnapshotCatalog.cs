// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using Haven.Format;
using Haven.Format.Snapshots;
using Haven.Repository.Errors;

namespace Haven.Repository.Snapshots;

/// <summary>Reads, finds and writes snapshots.</summary>
public static class SnapshotCatalog
{
    public static async Task<List<(Id Id, Snapshot Snapshot)>> LoadAllAsync(Repository repository, CancellationToken cancellationToken)
    {
        using var timing = Diagnostics.PhaseTimings.Measure("snapshot listing");
        var ids = await repository.ListIdsAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false);
        var loaded = new ConcurrentBag<(Id, Snapshot)>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            loaded.Add((id, await LoadAsync(repository, id, ct).ConfigureAwait(false)));
        }).ConfigureAwait(false);
        var list = loaded.ToList();
        list.Sort((a, b) => a.Item2.Time.ToDateTimeOffset().CompareTo(b.Item2.Time.ToDateTimeOffset()) is var c && c != 0 ? c : a.Item1.CompareTo(b.Item1));
        return list;
    }

    public static async Task<Snapshot> LoadAsync(Repository repository, Id id, CancellationToken cancellationToken)
    {
        byte[] json = await repository.LoadUnpackedAsync(FileType.Snapshot, id, cancellationToken).ConfigureAwait(false);
        try
        {
            return Snapshot.Parse(json);
        }
        catch (Exception error) when (error is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new DamagedDataException($"snapshot {id} cannot be parsed: {error.Message}", error);
        }
    }

    public static Task<Id> SaveAsync(Repository repository, Snapshot snapshot, CancellationToken cancellationToken) =>
        repository.SaveUnpackedAsync(FileType.Snapshot, snapshot.ToJson(), cancellationToken);

    /// <summary>Finds a snapshot by "latest" (newest matching the filter) or by a unique prefix of its ID.</summary>
    public static async Task<(Id Id, Snapshot Snapshot)> FindAsync(Repository repository, string name, SnapshotFilter filter, CancellationToken cancellationToken)
    {
        if (name == "latest")
        {
            var all = await LoadAllAsync(repository, cancellationToken).ConfigureAwait(false);
            var matching = all.Where(s => filter.Matches(s.Snapshot)).ToList();
            if (matching.Count == 0)
            {
                throw new SnapshotNotFoundException("no snapshot matches 'latest' with the given filter; 'haven snapshots' lists them");
            }

            return matching[^1];
        }

        var ids = await repository.ListIdsAsync(FileType.Snapshot, cancellationToken).ConfigureAwait(false);
        var found = ids.Where(id => id.ToString().StartsWith(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (found.Count == 0 || name.Length == 0)
        {
            throw new SnapshotNotFoundException($"no snapshot has an ID starting with '{name}'; 'haven snapshots' lists them");
        }

        if (found.Count > 1)
        {
            throw new SnapshotNotFoundException($"'{name}' is the start of {found.Count} snapshot IDs; give more characters");
        }

        return (found[0], await LoadAsync(repository, found[0], cancellationToken).ConfigureAwait(false));
    }
}
