// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>Reads what 'haven pg status' shows: base backups, WAL range, its newest segment and the gaps, per cluster.</summary>
public static class ArchiveInspector
{
    public static async Task<ArchiveStatus> InspectAsync(Repository.Repository repository, CancellationToken cancellationToken)
    {
        await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var now = repository.Options.Time.GetUtcNow();
        var backups = await BaseBackupCatalog.ListAsync(repository, cancellationToken).ConfigureAwait(false);
        var systems = new SortedSet<ulong>(backups.Select(backup => backup.Manifest.SystemId));
        foreach (var (_, snapshot) in await WalArchive.LoadTaggedAsync(repository, PhysicalLayout.WalTag, cancellationToken).ConfigureAwait(false))
        {
            if (snapshot.Paths is [var path] && ulong.TryParse(path[(path.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture, out ulong id))
            {
                systems.Add(id);
            }
        }

        var clusters = new List<ClusterArchiveStatus>();
        foreach (ulong system in systems)
        {
            var archive = await WalArchive.OpenAsync(repository, system, cancellationToken).ConfigureAwait(false);
            var entries = await archive.ListAsync(cancellationToken).ConfigureAwait(false);
            var segments = entries.Where(entry => entry.Name.Kind == WalFileKind.Segment).ToList();
            var newest = segments.MaxBy(entry => (entry.Name.Timeline, entry.Name.Log, entry.Name.Segment));
            clusters.Add(new ClusterArchiveStatus(
                system.ToString(CultureInfo.InvariantCulture),
                backups.Where(backup => backup.Manifest.SystemId == system).Select(backup => new BaseBackupStatus(
                    backup.SnapshotId.ToString(), backup.Manifest.FinishedAt, backup.Manifest.Timeline, backup.Manifest.StartLsn, backup.Manifest.StopLsn, backup.Manifest.ServerMajorVersion, backup.TarSize)).ToList(),
                segments.Count,
                segments.MinBy(entry => (entry.Name.Timeline, entry.Name.Log, entry.Name.Segment))?.Name.Name,
                newest?.Name.Name,
                newest?.WrittenAt,
                newest?.ArchivedAt,
                newest is null ? null : Math.Max(0, (now - newest.WrittenAt).TotalSeconds),
                Gaps(segments),
                entries.Count(entry => entry.Name.Kind == WalFileKind.History),
                archive.Heads.Count));
        }

        return new ArchiveStatus(now, clusters);
    }

    /// <summary>Missing segments between the first and last archived one of each timeline, as "FIRST..LAST" ranges.</summary>
    private static List<string> Gaps(List<WalEntry> segments)
    {
        var gaps = new List<string>();
        foreach (var timeline in segments.GroupBy(entry => entry.Name.Timeline))
        {
            long size = timeline.First().Size;
            var numbers = timeline.Select(entry => entry.Name.SegmentNumber(size)).Order().ToList();
            for (int i = 1; i < numbers.Count; i++)
            {
                if (numbers[i] > numbers[i - 1] + 1)
                {
                    string first = WalFileName.SegmentName(timeline.Key, numbers[i - 1] + 1, size);
                    string last = WalFileName.SegmentName(timeline.Key, numbers[i] - 1, size);
                    gaps.Add(first == last ? first : $"{first}..{last}");
                }
            }
        }

        return gaps;
    }
}
