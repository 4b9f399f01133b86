// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Json;

namespace Haven.Format.Trees;

/// <summary>
/// A directory listing as restic stores it in a tree blob: <c>{"nodes":[…]}</c> plus a newline.
/// The blob ID is the SHA-256 of <see cref="ToJson"/>, so the bytes follow Go's encoder exactly.
/// </summary>
public sealed class Tree
{
    public List<Node> Nodes { get; set; } = [];

    /// <summary>Orders the nodes by their raw name bytes, the order restic requires.</summary>
    public void Sort()
    {
        var keys = Nodes.Select(node => RawName.Encode(node.Name)).ToArray();
        var nodes = Nodes.ToArray();
        Array.Sort(keys, nodes, RawNameOrder.Instance);
        Nodes = [.. nodes];
    }

    /// <summary>Encodes the tree as restic does, with the final newline.</summary>
    /// <exception cref="InvalidOperationException">Nodes are not strictly increasing by raw name, or a name is empty.</exception>
    public byte[] ToJson()
    {
        var writer = new GoJsonWriter(128 + (Nodes.Count * 320));
        writer.WriteStartObject();
        writer.WritePropertyName("nodes");
        writer.WriteStartArray();
        byte[]? previous = null;
        foreach (var node in Nodes)
        {
            byte[] rawName = RawName.Encode(node.Name);
            if (rawName.Length == 0)
            {
                throw new InvalidOperationException("a node in a tree has an empty name");
            }

            if (previous is not null && RawNameOrder.Instance.Compare(previous, rawName) >= 0)
            {
                throw new InvalidOperationException(
                    $"tree nodes must be strictly increasing by raw name: \"{GoQuote.Quote(rawName)}\" follows \"{GoQuote.Quote(previous)}\"; call Sort() and remove duplicates");
            }

            NodeJsonWriter.Write(writer, node, rawName);
            previous = rawName;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        byte[] json = new byte[writer.WrittenSpan.Length + 1];
        writer.WrittenSpan.CopyTo(json);
        json[^1] = (byte)'\n';
        return json;
    }

    /// <summary>Decodes a tree blob leniently (any formatting, unknown keys ignored, keys case-insensitive).</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, a node type is unknown, or a name does not unquote.</exception>
    public static Tree Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = LenientJson.Open(json);
            reader.Read();
            LenientJson.Expect(ref reader, JsonTokenType.StartObject, "tree");
            var tree = new Tree();
            Span<char> buffer = stackalloc char[8];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isNodes = buffer[..LenientJson.PropertyName(ref reader, buffer)] is "nodes";
                reader.Read();
                if (!isNodes || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }

                LenientJson.Expect(ref reader, JsonTokenType.StartArray, "nodes");
                var nodes = new List<Node>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    nodes.Add(NodeJsonReader.Read(ref reader, json));
                }

                tree.Nodes = nodes;
            }

            return tree;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"cannot decode tree: {e.Message}", e);
        }
    }

    /// <summary>Finds a node by name with a binary search on raw name bytes (the tree must be sorted).</summary>
    public Node? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] target = RawName.Encode(name);
        int lo = 0;
        int hi = Nodes.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            int c = RawNameOrder.Instance.Compare(RawName.Encode(Nodes[mid].Name), target);
            if (c == 0)
            {
                return Nodes[mid];
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }
}
