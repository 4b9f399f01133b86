// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Json;

namespace Haven.Format.Snapshots;

/// <summary>Reads snapshot JSON the way Go's decoder does; old snapshots may lack "paths".</summary>
internal static class SnapshotReader
{
    public static Snapshot Read(ReadOnlySpan<byte> json)
    {
        var reader = LenientJson.Open(json);
        reader.Read();
        LenientJson.Expect(ref reader, JsonTokenType.StartObject, "snapshot");
        var snapshot = new Snapshot();
        Id? tree = null;
        Span<char> buffer = stackalloc char[32];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<char> key = buffer[..LenientJson.PropertyName(ref reader, buffer)];
            reader.Read();
            switch (key)
            {
                case "time": snapshot.Time = LenientJson.ReadTime(ref reader, "time"); break;
                case "parent": snapshot.Parent = LenientJson.ReadId(ref reader, "parent"); break;
                case "tree": tree = LenientJson.ReadId(ref reader, "tree"); break;
                case "paths": snapshot.Paths = LenientJson.ReadStringList(ref reader, "paths"); break;
                case "hostname": snapshot.Hostname = LenientJson.ReadString(ref reader, "hostname"); break;
                case "username": snapshot.Username = LenientJson.ReadString(ref reader, "username"); break;
                case "uid": snapshot.Uid = LenientJson.ReadUInt32(ref reader, "uid"); break;
                case "gid": snapshot.Gid = LenientJson.ReadUInt32(ref reader, "gid"); break;
                case "excludes": snapshot.Excludes = LenientJson.ReadStringList(ref reader, "excludes"); break;
                case "tags": snapshot.Tags = LenientJson.ReadStringList(ref reader, "tags"); break;
                case "original": snapshot.Original = LenientJson.ReadId(ref reader, "original"); break;
                case "program_version": snapshot.ProgramVersion = LenientJson.ReadString(ref reader, "program_version"); break;
                case "summary": snapshot.Summary = SnapshotSummaryReader.Read(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        snapshot.Tree = tree ?? throw new FormatException("snapshot has no \"tree\": restic cannot check or restore it");
        return snapshot;
    }
}
