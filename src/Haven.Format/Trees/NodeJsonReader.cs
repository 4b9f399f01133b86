// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Json;

namespace Haven.Format.Trees;

/// <summary>Reads one node leniently, as Go's decoder would (unknown keys ignored, nulls allowed).</summary>
internal static class NodeJsonReader
{
    public static Node Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        LenientJson.Expect(ref reader, JsonTokenType.StartObject, "nodes");
        var node = new Node();
        string? quotedName = null;
        string? typeName = null;
        string? linkTarget = null;
        byte[]? linkTargetRaw = null;
        Span<char> buffer = stackalloc char[32];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<char> key = buffer[..LenientJson.PropertyName(ref reader, buffer)];
            reader.Read();
            switch (key)
            {
                case "name": quotedName = LenientJson.ReadString(ref reader, "name"); break;
                case "type": typeName = LenientJson.ReadString(ref reader, "type"); break;
                case "mode": node.Mode = LenientJson.ReadUInt32(ref reader, "mode"); break;
                case "mtime": node.ModTime = LenientJson.ReadTime(ref reader, "mtime"); break;
                case "atime": node.AccessTime = LenientJson.ReadTime(ref reader, "atime"); break;
                case "ctime": node.ChangeTime = LenientJson.ReadTime(ref reader, "ctime"); break;
                case "uid": node.Uid = LenientJson.ReadUInt32(ref reader, "uid"); break;
                case "gid": node.Gid = LenientJson.ReadUInt32(ref reader, "gid"); break;
                case "user": node.User = LenientJson.ReadString(ref reader, "user"); break;
                case "group": node.Group = LenientJson.ReadString(ref reader, "group"); break;
                case "inode": node.Inode = LenientJson.ReadUInt64(ref reader, "inode"); break;
                case "device_id": node.DeviceId = LenientJson.ReadUInt64(ref reader, "device_id"); break;
                case "size": node.Size = LenientJson.ReadUInt64(ref reader, "size"); break;
                case "links": node.Links = LenientJson.ReadUInt64(ref reader, "links"); break;
                case "linktarget": linkTarget = LenientJson.ReadString(ref reader, "linktarget"); break;
                case "linktarget_raw": linkTargetRaw = LenientJson.ReadBase64(ref reader, "linktarget_raw"); break;
                case "extended_attributes": node.ExtendedAttributes = ReadExtendedAttributes(ref reader); break;
                case "generic_attributes": node.GenericAttributes = ReadGenericAttributes(ref reader, json); break;
                case "device": node.Device = LenientJson.ReadUInt64(ref reader, "device"); break;
                case "content": node.Content = ReadContent(ref reader); break;
                case "subtree": node.Subtree = LenientJson.ReadId(ref reader, "subtree"); break;
                case "error": node.Error = LenientJson.ReadString(ref reader, "error"); break;
                default: reader.Skip(); break;
            }
        }

        node.Type = NodeTypeNames.Parse(typeName);
        node.Name = RawName.Decode(GoQuote.Unquote(quotedName ?? ""));
        node.LinkTarget = linkTargetRaw is not null ? RawName.Decode(linkTargetRaw) : linkTarget;
        return node;
    }

    private static List<ExtendedAttribute>? ReadExtendedAttributes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        LenientJson.Expect(ref reader, JsonTokenType.StartArray, "extended_attributes");
        var list = new List<ExtendedAttribute>();
        Span<char> buffer = stackalloc char[8];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            LenientJson.Expect(ref reader, JsonTokenType.StartObject, "extended_attributes");
            string name = "";
            byte[]? value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadOnlySpan<char> key = buffer[..LenientJson.PropertyName(ref reader, buffer)];
                reader.Read();
                if (key is "name")
                {
                    name = LenientJson.ReadString(ref reader, "extended_attributes.name") ?? "";
                }
                else if (key is "value")
                {
                    value = LenientJson.ReadBase64(ref reader, "extended_attributes.value");
                }
                else
                {
                    reader.Skip();
                }
            }

            list.Add(new ExtendedAttribute(name, value));
        }

        return list;
    }

    private static Dictionary<string, byte[]>? ReadGenericAttributes(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        LenientJson.Expect(ref reader, JsonTokenType.StartObject, "generic_attributes");
        var attributes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString() ?? "";
            reader.Read();
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            attributes[key] = json[start..(int)reader.BytesConsumed].ToArray();
        }

        return attributes;
    }

    private static List<Id>? ReadContent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        LenientJson.Expect(ref reader, JsonTokenType.StartArray, "content");
        var content = new List<Id>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            content.Add(LenientJson.ReadId(ref reader, "content") ?? Id.Null);
        }

        return content;
    }
}
