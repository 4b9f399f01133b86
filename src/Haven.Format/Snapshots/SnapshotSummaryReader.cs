// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Json;

namespace Haven.Format.Snapshots;

/// <summary>Reads a snapshot's "summary" object leniently; missing keys stay zero.</summary>
internal static class SnapshotSummaryReader
{
    public static SnapshotSummary? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        LenientJson.Expect(ref reader, JsonTokenType.StartObject, "summary");
        var summary = new SnapshotSummary();
        Span<char> buffer = stackalloc char[32];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<char> key = buffer[..LenientJson.PropertyName(ref reader, buffer)];
            reader.Read();
            switch (key)
            {
                case "backup_start": summary.BackupStart = LenientJson.ReadTime(ref reader, "backup_start"); break;
                case "backup_end": summary.BackupEnd = LenientJson.ReadTime(ref reader, "backup_end"); break;
                case "files_new": summary.FilesNew = LenientJson.ReadUInt64(ref reader, "files_new"); break;
                case "files_changed": summary.FilesChanged = LenientJson.ReadUInt64(ref reader, "files_changed"); break;
                case "files_unmodified": summary.FilesUnmodified = LenientJson.ReadUInt64(ref reader, "files_unmodified"); break;
                case "dirs_new": summary.DirsNew = LenientJson.ReadUInt64(ref reader, "dirs_new"); break;
                case "dirs_changed": summary.DirsChanged = LenientJson.ReadUInt64(ref reader, "dirs_changed"); break;
                case "dirs_unmodified": summary.DirsUnmodified = LenientJson.ReadUInt64(ref reader, "dirs_unmodified"); break;
                case "data_blobs": summary.DataBlobs = LenientJson.ReadInt64(ref reader, "data_blobs"); break;
                case "tree_blobs": summary.TreeBlobs = LenientJson.ReadInt64(ref reader, "tree_blobs"); break;
                case "data_added": summary.DataAdded = LenientJson.ReadUInt64(ref reader, "data_added"); break;
                case "data_added_packed": summary.DataAddedPacked = LenientJson.ReadUInt64(ref reader, "data_added_packed"); break;
                case "total_files_processed": summary.TotalFilesProcessed = LenientJson.ReadUInt64(ref reader, "total_files_processed"); break;
                case "total_bytes_processed": summary.TotalBytesProcessed = LenientJson.ReadUInt64(ref reader, "total_bytes_processed"); break;
                default: reader.Skip(); break;
            }
        }

        return summary;
    }
}
