// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// The cluster a WAL file belongs to. A segment's first page carries a long page header
/// (XLogLongPageHeaderData: magic, info, timeline, page address, remaining length, then the
/// system identifier at byte 24 and the segment size at byte 32). History and backup files carry
/// none, so for them the system identifier comes from global/pg_control of the data directory
/// archive_command runs in (its first 8 bytes, ControlFileData.system_identifier).
/// </summary>
public static class WalFileHeader
{
    private const ushort LongHeaderFlag = 0x0002;

    /// <summary>Reads the system identifier and segment size from a segment's first bytes; throws when they are not a WAL long page header.</summary>
    public static (ulong SystemId, uint SegmentSize) ReadSegment(ReadOnlySpan<byte> start, string path)
    {
        if (start.Length < 40 || (BinaryPrimitives.ReadUInt16LittleEndian(start[2..]) & LongHeaderFlag) == 0)
        {
            throw new PhysicalBackupException($"{path} does not start with a WAL long page header: it is not a WAL segment");
        }

        ulong systemId = BinaryPrimitives.ReadUInt64LittleEndian(start[24..]);
        uint segmentSize = BinaryPrimitives.ReadUInt32LittleEndian(start[32..]);
        if (segmentSize < (1 << 20) || segmentSize > (1 << 30) || (segmentSize & (segmentSize - 1)) != 0)
        {
            throw new PhysicalBackupException($"{path} names a WAL segment size of {segmentSize} bytes, which PostgreSQL cannot have: it is not a WAL segment");
        }

        return (systemId, segmentSize);
    }

    /// <summary>The system identifier in DATADIR/global/pg_control.</summary>
    public static ulong ReadControlFile(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, "global", "pg_control");
        try
        {
            Span<byte> bytes = stackalloc byte[8];
            using var file = File.OpenRead(path);
            file.ReadExactly(bytes);
            return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new PhysicalBackupException(
                $"cannot read {path} to learn the cluster's system identifier ({error.Message}); run wal-push from the data directory, as archive_command does, or pass --data-dir", error);
        }
    }
}
