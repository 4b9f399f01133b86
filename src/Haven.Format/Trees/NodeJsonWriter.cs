// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Unicode;
using Haven.Format.Json;

namespace Haven.Format.Trees;

/// <summary>Writes a node exactly as restic's Node.MarshalJSON does (field order and omitempty).</summary>
internal static class NodeJsonWriter
{
    public static void Write(GoJsonWriter writer, Node node, byte[] rawName)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("name");
        writer.WriteString(GoQuote.Quote(rawName));
        writer.WritePropertyName("type");
        writer.WriteString(NodeTypeNames.ToJsonName(node.Type));
        WriteNumberIfNotZero(writer, "mode", node.Mode);

        // Go's omitempty never omits a time.Time, so the three times are always present.
        writer.WritePropertyName("mtime");
        writer.WriteString(node.ModTime.ToString());
        writer.WritePropertyName("atime");
        writer.WriteString(node.AccessTime.ToString());
        writer.WritePropertyName("ctime");
        writer.WriteString(node.ChangeTime.ToString());
        writer.WritePropertyName("uid");
        writer.WriteNumber((ulong)node.Uid);
        writer.WritePropertyName("gid");
        writer.WriteNumber((ulong)node.Gid);
        WriteRawNameIfNotEmpty(writer, "user", node.User);
        WriteRawNameIfNotEmpty(writer, "group", node.Group);
        WriteNumberIfNotZero(writer, "inode", node.Inode);
        WriteNumberIfNotZero(writer, "device_id", node.DeviceId);
        WriteNumberIfNotZero(writer, "size", node.Size);
        WriteNumberIfNotZero(writer, "links", node.Links);
        WriteLinkTarget(writer, node.LinkTarget);
        WriteExtendedAttributes(writer, node.ExtendedAttributes);
        WriteGenericAttributes(writer, node.GenericAttributes);
        WriteNumberIfNotZero(writer, "device", node.Device);
        WriteContent(writer, node.Content);
        if (node.Subtree is Id subtree)
        {
            writer.WritePropertyName("subtree");
            writer.WriteString(subtree.ToString());
        }

        WriteRawNameIfNotEmpty(writer, "error", node.Error);
        writer.WriteEndObject();
    }

    private static void WriteLinkTarget(GoJsonWriter writer, string? linkTarget)
    {
        if (string.IsNullOrEmpty(linkTarget))
        {
            return;
        }

        // Go writes the raw string, so each invalid byte becomes \ufffd; restic 0.16+ adds the bytes.
        byte[] raw = RawName.Encode(linkTarget);
        writer.WritePropertyName("linktarget");
        writer.WriteString(raw);
        if (!Utf8.IsValid(raw))
        {
            writer.WritePropertyName("linktarget_raw");
            writer.WriteBase64(raw);
        }
    }

    private static void WriteExtendedAttributes(GoJsonWriter writer, List<ExtendedAttribute>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return;
        }

        writer.WritePropertyName("extended_attributes");
        writer.WriteStartArray();
        foreach (var attribute in attributes)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("name");
            writer.WriteString(RawName.Encode(attribute.Name));
            writer.WritePropertyName("value");
            if (attribute.Value is null)
            {
                writer.WriteNull();
            }
            else
            {
                writer.WriteBase64(attribute.Value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteGenericAttributes(GoJsonWriter writer, Dictionary<string, byte[]>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return;
        }

        // Go writes map keys sorted bytewise.
        var keys = attributes.Keys.Select(key => (Key: key, Bytes: RawName.Encode(key))).ToArray();
        Array.Sort(keys, (a, b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
        writer.WritePropertyName("generic_attributes");
        writer.WriteStartObject();
        foreach (var (key, bytes) in keys)
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue(attributes[key]);
        }

        writer.WriteEndObject();
    }

    private static void WriteContent(GoJsonWriter writer, List<Id>? content)
    {
        writer.WritePropertyName("content");
        if (content is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteStartArray();
        foreach (var id in content)
        {
            writer.WriteString(id.ToString());
        }

        writer.WriteEndArray();
    }

    private static void WriteNumberIfNotZero(GoJsonWriter writer, string name, ulong value)
    {
        if (value != 0)
        {
            writer.WritePropertyName(name);
            writer.WriteNumber(value);
        }
    }

    private static void WriteRawNameIfNotEmpty(GoJsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WritePropertyName(name);
            writer.WriteString(RawName.Encode(value));
        }
    }
}
