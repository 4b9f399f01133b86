// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Physical;

/// <summary>The kinds of file PostgreSQL hands to archive_command.</summary>
public enum WalFileKind
{
    /// <summary>A WAL segment, 24 hexadecimal digits: timeline, log, segment.</summary>
    Segment,

    /// <summary>A segment cut short at a promotion, "SEGMENT.partial".</summary>
    Partial,

    /// <summary>A timeline history file, "TTTTTTTT.history".</summary>
    History,

    /// <summary>A backup history file, "SEGMENT.OFFSET.backup".</summary>
    Backup,
}
