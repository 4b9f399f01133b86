// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using CsCheck;
using Haven.Format.Json;
using Haven.Format.Trees;

namespace Haven.Format.Tests.Trees;

public class TreeJsonTests
{
    private static readonly Id s_blob = Id.Hash("blob"u8);

    [Fact]
    public void Empty_tree_is_restics_empty_tree()
    {
        Assert.Equal("{\"nodes\":[]}\n"u8.ToArray(), new Tree().ToJson());
    }

    [Fact]
    public void Writes_fields_in_restic_order_with_go_omission()
    {
        var time = GoTimestamp.FromUnix(1795658065, 756017110, 3600);
        var tree = new Tree
        {
            Nodes =
            [
                new Node { Name = "d", Type = NodeType.Dir, Mode = 2147484141, ModTime = time, Subtree = s_blob },
                new Node { Name = "f", Type = NodeType.File, Mode = 420, Uid = 1, Gid = 2, User = "u", Inode = 3, DeviceId = 4, Size = 5, Links = 1, Content = [s_blob] },
                new Node { Name = "l", Type = NodeType.Symlink, LinkTarget = RawName.Decode([0x61, 0xff]), ExtendedAttributes = [new("user.x", [0x79]), new("user.n", null)] },
            ],
        };
        string t = "\"2026-11-26T02:54:25.75601711+01:00\"";
        string z = "\"0001-01-01T00:00:00Z\"";
        string expected =
            "{\"nodes\":[" +
            $"{{\"name\":\"d\",\"type\":\"dir\",\"mode\":2147484141,\"mtime\":{t},\"atime\":{z},\"ctime\":{z},\"uid\":0,\"gid\":0,\"content\":null,\"subtree\":\"{s_blob}\"}}," +
            $"{{\"name\":\"f\",\"type\":\"file\",\"mode\":420,\"mtime\":{z},\"atime\":{z},\"ctime\":{z},\"uid\":1,\"gid\":2,\"user\":\"u\",\"inode\":3,\"device_id\":4,\"size\":5,\"links\":1,\"content\":[\"{s_blob}\"]}}," +
            $"{{\"name\":\"l\",\"type\":\"symlink\",\"mtime\":{z},\"atime\":{z},\"ctime\":{z},\"uid\":0,\"gid\":0,\"linktarget\":\"a\\ufffd\",\"linktarget_raw\":\"Yf8=\",\"extended_attributes\":[{{\"name\":\"user.x\",\"value\":\"eQ==\"}},{{\"name\":\"user.n\",\"value\":null}}],\"content\":null}}" +
            "]}\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(tree.ToJson()));
    }

    [Fact]
    public void Rejects_unsorted_or_duplicate_names()
    {
        var unsorted = new Tree { Nodes = [new Node { Name = "b" }, new Node { Name = "a" }] };
        Assert.Throws<InvalidOperationException>(() => unsorted.ToJson());
        var duplicate = new Tree { Nodes = [new Node { Name = "a" }, new Node { Name = "a" }] };
        Assert.Throws<InvalidOperationException>(() => duplicate.ToJson());
        Assert.Throws<InvalidOperationException>(() => new Tree { Nodes = [new Node { Name = "" }] }.ToJson());
    }

    [Fact]
    public void Sorts_by_utf8_bytes_not_utf16_units()
    {
        // U+FF01 is 0xEF.. in UTF-8 and sorts before U+1F600 (0xF0..); CompareOrdinal says the opposite.
        var tree = new Tree { Nodes = [new Node { Name = "😀" }, new Node { Name = "\uFF01" }, new Node { Name = RawName.Decode([0xff]) }, new Node { Name = "a" }] };
        tree.Sort();
        Assert.Equal(["a", "\uFF01", "😀", RawName.Decode([0xff])], tree.Nodes.Select(n => n.Name));
        tree.ToJson();
        Assert.Same(tree.Nodes[2], tree.Find("😀"));
        Assert.Same(tree.Nodes[3], tree.Find(RawName.Decode([0xff])));
        Assert.Null(tree.Find("b"));
    }

    [Fact]
    public void Reads_leniently_like_go()
    {
        string json = "{ \"Nodes\": [ {\"NAME\":\"a\\\\x01\",\"type\":\"file\",\"unknown\":{\"x\":[1]},\"extended_attributes\":[{\"name\":\"n\",\"value\":null}],\"content\":[]}," +
            "{\"name\":\"s\",\"type\":\"symlink\",\"linktarget\":\"\\ufffd\",\"linktarget_raw\":\"/w==\",\"content\":null}, {\"name\":\"m\",\"type\":\"fifo\"} ] }";
        var tree = Tree.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(RawName.Decode([0x61, 0x01]), tree.Nodes[0].Name);
        Assert.Equal(NodeType.File, tree.Nodes[0].Type);
        Assert.Null(tree.Nodes[0].ExtendedAttributes![0].Value);
        Assert.Empty(tree.Nodes[0].Content!);
        Assert.Equal(RawName.Decode([0xff]), tree.Nodes[1].LinkTarget);
        Assert.Null(tree.Nodes[1].Content);
        Assert.True(tree.Nodes[2].ModTime.IsZero);
        Assert.Equal(0UL, tree.Nodes[2].Device);
    }

    [Theory]
    [InlineData("{\"nodes\":[{\"name\":\"x\",\"type\":\"irregular\"}]}", "irregular")]
    [InlineData("{\"nodes\":[{\"name\":\"x\"}]}", "\"\"")]
    public void Unknown_node_type_is_rejected_by_name(string json, string named)
    {
        var error = Assert.Throws<InvalidDataException>(() => Tree.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"nodes\":[{\"name\":\"a\\\"b\",\"type\":\"file\"}]}")]
    [InlineData("{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"mtime\":\"2026-11-26T01:54:25\"}]}")]
    [InlineData("{\"nodes\":[")]
    public void Malformed_trees_are_invalid_data(string json)
    {
        Assert.Throws<InvalidDataException>(() => Tree.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Generic_attributes_round_trip_sorted_and_compacted()
    {
        string json = "{\"nodes\":[{\"name\":\"w\",\"type\":\"file\",\"mtime\":\"0001-01-01T00:00:00Z\",\"atime\":\"0001-01-01T00:00:00Z\",\"ctime\":\"0001-01-01T00:00:00Z\",\"uid\":0,\"gid\":0," +
            "\"generic_attributes\":{\"windows.file_attributes\":32,\"windows.creation_time\":{\"LowDateTime\":1,\"HighDateTime\":2}},\"content\":[]}]}\n";
        string expected = json.Replace("{\"windows.file_attributes\":32,\"windows.creation_time\":{\"LowDateTime\":1,\"HighDateTime\":2}}", "{\"windows.creation_time\":{\"LowDateTime\":1,\"HighDateTime\":2},\"windows.file_attributes\":32}", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(Tree.Parse(Encoding.UTF8.GetBytes(json)).ToJson()));
    }

    [Fact]
    public void Any_tree_survives_json_and_back()
    {
        TreeGen.Tree.Sample(tree =>
        {
            byte[] json = tree.ToJson();
            var parsed = Tree.Parse(json);
            Assert.Equal(tree.Nodes.Count, parsed.Nodes.Count);
            for (int i = 0; i < tree.Nodes.Count; i++)
            {
                NodeAssert.Equal(tree.Nodes[i], parsed.Nodes[i]);
            }

            // Invalid UTF-8 in user, group or error is lossy (\ufffd), as in Go; after one pass the bytes are stable.
            byte[] again = parsed.ToJson();
            Assert.Equal(again, Tree.Parse(again).ToJson());
            if (!tree.Nodes.Any(n => RawName.HasEscapes(n.User ?? "") || RawName.HasEscapes(n.Group ?? "") || RawName.HasEscapes(n.Error ?? "")))
            {
                Assert.Equal(json, again);
            }
        }, iter: 1_000);
    }
}
