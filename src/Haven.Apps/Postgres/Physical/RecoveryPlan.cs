// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// The base backup a restore starts from and the archived WAL it copies. For a time or a position
/// the newest base backup that had finished by then is chosen; for a named restore point (whose
/// position only the WAL knows) the oldest, so the point is reached whichever backup followed it.
/// The target must lie within the WAL that follows the backup without a gap.
/// </summary>
public sealed record RecoveryPlan(BaseBackup BaseBackup, IReadOnlyList<WalEntry> WalFiles)
{
    public static RecoveryPlan Choose(IReadOnlyList<BaseBackup> backups, IReadOnlyList<WalEntry> archived, RecoveryTarget target, string? snapshot)
    {
        if (backups.Count == 0)
        {
            throw new PhysicalBackupException("the repository holds no base backup of this cluster; take one with 'haven pg basebackup --postgres DSN'");
        }

        var chosen = snapshot is not null ? Named(backups, snapshot) : Default(backups, target);
        var manifest = chosen.Manifest;
        var (reachable, reachableAt, lastSegment) = Reach(manifest, archived);
        if (target.Time is { } time)
        {
            if (time < manifest.FinishedAt)
            {
                throw new PhysicalBackupException($"{target} is before base backup {chosen.SnapshotId.ToShortString()} finished ({manifest.FinishedAt:u}); {Oldest(backups)}. Nothing was written");
            }

            if (time > reachableAt)
            {
                throw new PhysicalBackupException($"{target} is after the newest archived WAL ({lastSegment ?? "none"}, last written {reachableAt:u}); run SELECT pg_switch_wal() on the server or wait for archive_timeout, then restore again. Nothing was written");
            }
        }

        if (target.Position is { } position)
        {
            if (position < manifest.Stop)
            {
                throw new PhysicalBackupException($"{target} is before base backup {chosen.SnapshotId.ToShortString()} became consistent (LSN {manifest.StopLsn}); {Oldest(backups)}. Nothing was written");
            }

            if (position >= reachable)
            {
                throw new PhysicalBackupException($"{target} is beyond the archived WAL, which ends at LSN {reachable} ({lastSegment ?? "none"}); run SELECT pg_switch_wal() on the server, then restore again. Nothing was written");
            }
        }

        return new RecoveryPlan(chosen, WalFor(manifest, archived, target));
    }

    /// <summary>Where replay from the backup can reach without a gap: the end position, the time its last segment was written and that segment's name.</summary>
    public static (Lsn End, DateTimeOffset WrittenAt, string? LastSegment) Reach(BaseBackupManifest manifest, IReadOnlyList<WalEntry> archived)
    {
        long size = manifest.WalSegmentSize;
        var segments = archived.Where(entry => entry.Name.Kind == WalFileKind.Segment && entry.Name.Timeline == manifest.Timeline)
            .ToDictionary(entry => entry.Name.SegmentNumber(size));
        ulong next = manifest.Stop.Value / (ulong)size;
        WalEntry? last = null;
        while (segments.TryGetValue(next, out var entry))
        {
            last = entry;
            next++;
        }

        return last is null
            ? (manifest.Stop, manifest.FinishedAt, null)
            : (new Lsn(next * (ulong)size), last.WrittenAt, last.Name.Name);
    }

    private static BaseBackup Default(IReadOnlyList<BaseBackup> backups, RecoveryTarget target)
    {
        if (target.Time is { } time)
        {
            return backups.Where(backup => backup.Manifest.FinishedAt <= time).MaxBy(backup => backup.Manifest.FinishedAt)
                ?? throw new PhysicalBackupException($"{target} is before the oldest base backup finished; {Oldest(backups)}. Nothing was written");
        }

        if (target.Position is { } position)
        {
            return backups.Where(backup => backup.Manifest.Stop <= position).MaxBy(backup => backup.Manifest.Stop)
                ?? throw new PhysicalBackupException($"{target} is before the oldest base backup became consistent; {Oldest(backups)}. Nothing was written");
        }

        return target.RestorePoint is not null ? backups.MinBy(backup => backup.Manifest.Stop)! : backups.MaxBy(backup => backup.Manifest.Stop)!;
    }

    private static BaseBackup Named(IReadOnlyList<BaseBackup> backups, string prefix)
    {
        var matching = backups.Where(backup => backup.SnapshotId.ToString().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matching.Count == 1 ? matching[0] : throw new PhysicalBackupException(matching.Count == 0
            ? $"--snapshot {prefix}: no base backup of this cluster has such an ID; 'haven pg status' lists them"
            : $"--snapshot {prefix} is the start of {matching.Count} base backup IDs; give more characters");
    }

    /// <summary>Every history file, and the segments from the backup's start on (up to the one after the target position, when there is one).</summary>
    private static List<WalEntry> WalFor(BaseBackupManifest manifest, IReadOnlyList<WalEntry> archived, RecoveryTarget target)
    {
        long size = manifest.WalSegmentSize;
        ulong first = manifest.StartSegment;
        ulong last = target.Position is { } position ? (position.Value / (ulong)size) + 1 : ulong.MaxValue;
        return archived.Where(entry => entry.Name.Kind == WalFileKind.History
            || (entry.Name.Kind == WalFileKind.Segment && entry.Name.Timeline >= manifest.Timeline && entry.Name.SegmentNumber(size) is var number && number >= first && number <= last)).ToList();
    }

    private static string Oldest(IReadOnlyList<BaseBackup> backups)
    {
        var oldest = backups.MinBy(backup => backup.Manifest.FinishedAt)!;
        return string.Create(CultureInfo.InvariantCulture, $"the oldest base backup, {oldest.SnapshotId.ToShortString()}, finished at {oldest.Manifest.FinishedAt:u} (LSN {oldest.Manifest.StopLsn})");
    }
}
