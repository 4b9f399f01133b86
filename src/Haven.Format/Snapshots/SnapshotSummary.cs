// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Json;

namespace Haven.Format.Snapshots;

/// <summary>
/// The backup statistics restic 0.17+ stores in a snapshot ("summary"); 0.14 ignores them. Every key
/// is always written, in restic's order.
/// </summary>
public sealed class SnapshotSummary
{
    public GoTimestamp BackupStart { get; set; } = GoTimestamp.Zero;

    public GoTimestamp BackupEnd { get; set; } = GoTimestamp.Zero;

    public ulong FilesNew { get; set; }

    public ulong FilesChanged { get; set; }

    public ulong FilesUnmodified { get; set; }

    public ulong DirsNew { get; set; }

    public ulong DirsChanged { get; set; }

    public ulong DirsUnmodified { get; set; }

    public long DataBlobs { get; set; }

    public long TreeBlobs { get; set; }

    public ulong DataAdded { get; set; }

    public ulong DataAddedPacked { get; set; }

    public ulong TotalFilesProcessed { get; set; }

    public ulong TotalBytesProcessed { get; set; }

    internal void Write(GoJsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("backup_start");
        writer.WriteString(BackupStart.ToString());
        writer.WritePropertyName("backup_end");
        writer.WriteString(BackupEnd.ToString());
        Number(writer, "files_new", FilesNew);
        Number(writer, "files_changed", FilesChanged);
        Number(writer, "files_unmodified", FilesUnmodified);
        Number(writer, "dirs_new", DirsNew);
        Number(writer, "dirs_changed", DirsChanged);
        Number(writer, "dirs_unmodified", DirsUnmodified);
        writer.WritePropertyName("data_blobs");
        writer.WriteNumber(DataBlobs);
        writer.WritePropertyName("tree_blobs");
        writer.WriteNumber(TreeBlobs);
        Number(writer, "data_added", DataAdded);
        Number(writer, "data_added_packed", DataAddedPacked);
        Number(writer, "total_files_processed", TotalFilesProcessed);
        Number(writer, "total_bytes_processed", TotalBytesProcessed);
        writer.WriteEndObject();
    }

    private static void Number(GoJsonWriter writer, string name, ulong value)
    {
        writer.WritePropertyName(name);
        writer.WriteNumber(value);
    }
}
