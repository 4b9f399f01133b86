// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// The name of a file in pg_wal that PostgreSQL archives, parsed. Segment names sort in WAL order
/// within a timeline, which the archive layout relies on.
/// </summary>
public sealed record WalFileName(string Name, WalFileKind Kind, uint Timeline, uint Log, uint Segment)
{
    /// <summary>The folder below the cluster's archive folder: "history" for timeline histories, else the first 16 digits (timeline and log), so no folder holds more than 256 segments of 16 MB.</summary>
    public string Folder => Kind == WalFileKind.History ? "history" : Name[..16];

    public static WalFileName Parse(string name) =>
        TryParse(name, out var parsed) ? parsed : throw new FormatException(
            $"'{name}' is not the name of a WAL segment, .partial, .history or .backup file (archive_command must pass %p)");

    public static bool TryParse(string name, out WalFileName parsed)
    {
        parsed = null!;
        if (name.Length == 16 && name.EndsWith(".history", StringComparison.Ordinal) && Hex(name.AsSpan(0, 8), out uint historyTimeline))
        {
            parsed = new WalFileName(name, WalFileKind.History, historyTimeline, 0, 0);
            return true;
        }

        if (name.Length < 24 || !Hex(name.AsSpan(0, 8), out uint timeline) || !Hex(name.AsSpan(8, 8), out uint log) || !Hex(name.AsSpan(16, 8), out uint segment))
        {
            return false;
        }

        var kind = name[24..] switch
        {
            "" => WalFileKind.Segment,
            ".partial" => WalFileKind.Partial,
            var rest when rest.Length == 16 && rest[0] == '.' && rest.EndsWith(".backup", StringComparison.Ordinal) && Hex(rest.AsSpan(1, 8), out _) => WalFileKind.Backup,
            _ => (WalFileKind?)null,
        };
        if (kind is not WalFileKind found)
        {
            return false;
        }

        parsed = new WalFileName(name, found, timeline, log, segment);
        return true;
    }

    /// <summary>The segment's number counted from the start of the WAL, for segments of <paramref name="segmentSize"/> bytes.</summary>
    public ulong SegmentNumber(long segmentSize) => (Log * (0x1_0000_0000UL / (ulong)segmentSize)) + Segment;

    /// <summary>The first position in this segment.</summary>
    public Lsn Start(long segmentSize) => new(SegmentNumber(segmentSize) * (ulong)segmentSize);

    /// <summary>The name of the segment with number <paramref name="number"/> on <paramref name="timeline"/>.</summary>
    public static string SegmentName(uint timeline, ulong number, long segmentSize)
    {
        ulong perLog = 0x1_0000_0000UL / (ulong)segmentSize;
        return string.Create(CultureInfo.InvariantCulture, $"{timeline:X8}{number / perLog:X8}{number % perLog:X8}");
    }

    private static bool Hex(ReadOnlySpan<char> text, out uint value) =>
        text.Length == 8 && !text.ContainsAny("abcdef") && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
        || (value = 0) != 0;
}
