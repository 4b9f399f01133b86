// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.Json;
using CsCheck;
using Haven.Format.Indexes;
using Haven.Format.Packs;
using Haven.Format.Tests.Packs;

namespace Haven.Format.Tests.Indexes;

public class IndexFileTests
{
    private const string PackHex = "73d04e6125cf3c28a299cc2f3cca3b78ceac396e4fcbd4ce70d4a27d7b1a1d5a";
    private const string BlobHex = "3ec79977ef0cf5de7b08cd12b874cd0f62bbaf7f07f3497a5b1bbcc8cb39b1ce";

    [Fact]
    public void Json_round_trips()
    {
        var genPack = Gen.Select(Gen.Byte.Array[32], PackHeaderTests.GenBlob.Select(Gen.UInt, (b, o) => b with { Offset = o }).List[1, 5])
            .Select((id, blobs) => new IndexPack(new Id(id), blobs));
        Gen.Select(Gen.Byte.Array[32].Select(b => new Id(b)).List[0, 3], genPack.List[0, 4]).Sample((supersedes, packs) =>
        {
            var index = new IndexFile();
            index.Supersedes.AddRange(supersedes);
            index.Packs.AddRange(packs);
            IndexFile back = IndexFile.Parse(index.ToJson());
            Assert.Equal(supersedes, back.Supersedes);
            Assert.Equal(packs.Count, back.Packs.Count);
            for (int i = 0; i < packs.Count; i++)
            {
                Assert.Equal(packs[i].PackId, back.Packs[i].PackId);
                Assert.Equal(packs[i].Blobs, back.Packs[i].Blobs);
            }
        });
    }

    [Fact]
    public void Streaming_parse_delivers_the_same_packs_and_supersedes_as_parse()
    {
        var genPack = Gen.Select(Gen.Byte.Array[32], PackHeaderTests.GenBlob.Select(Gen.UInt, (b, o) => b with { Offset = o }).List[0, 5])
            .Select((id, blobs) => new IndexPack(new Id(id), blobs));
        Gen.Select(Gen.Byte.Array[32].Select(b => new Id(b)).List[0, 3], genPack.List[0, 4]).Sample((supersedes, packs) =>
        {
            var index = new IndexFile();
            index.Supersedes.AddRange(supersedes);
            index.Packs.AddRange(packs);
            var streamed = new List<IndexPack>();

            var streamedSupersedes = IndexFile.ParsePacks(index.ToJson(), (id, blobs) => streamed.Add(new IndexPack(id, [.. blobs])));

            Assert.Equal(supersedes, streamedSupersedes);
            Assert.Equal(packs.Select(p => p.PackId), streamed.Select(p => p.PackId));
            for (int i = 0; i < packs.Count; i++)
            {
                Assert.Equal(packs[i].Blobs, streamed[i].Blobs);
            }
        });
    }

    [Fact]
    public void Streaming_parse_of_damaged_json_throws_a_format_exception()
    {
        string json = "{\"packs\":[{\"id\":\"" + PackHex + "\",\"blobs\":[{\"id\":\"" + BlobHex + "\",\"type\":\"data\",\"offset\":0,\"length\":42}]},{\"blobs\":[]}]}";
        var streamed = new List<Id>();

        var error = Assert.Throws<FormatException>(() => IndexFile.ParsePacks(Encoding.UTF8.GetBytes(json), (id, _) => streamed.Add(id)));

        Assert.Contains("index pack entry 1 has no id", error.Message, StringComparison.Ordinal);
        Assert.Equal([Id.Parse(PackHex)], streamed);
    }

    [Fact]
    public void Writes_go_field_order_omits_empty_fields_and_ends_in_newline()
    {
        var index = new IndexFile();
        index.Packs.Add(new IndexPack(Id.Parse(PackHex),
        [
            new PackedBlob(new BlobHandle(Id.Parse(BlobHex), BlobType.Tree), 0, 100, 0),
            new PackedBlob(new BlobHandle(Id.Parse(BlobHex), BlobType.Data), 100, 50, 70),
        ]));

        string expected = "{\"packs\":[{\"id\":\"" + PackHex + "\",\"blobs\":["
            + "{\"id\":\"" + BlobHex + "\",\"type\":\"tree\",\"offset\":0,\"length\":100},"
            + "{\"id\":\"" + BlobHex + "\",\"type\":\"data\",\"offset\":100,\"length\":50,\"uncompressed_length\":70}]}]}\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(index.ToJson()));

        index.Supersedes.Add(Id.Parse(BlobHex));
        Assert.StartsWith("{\"supersedes\":[\"" + BlobHex + "\"],\"packs\":", Encoding.UTF8.GetString(index.ToJson()), StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_the_legacy_array_form()
    {
        string json = "[{\"id\":\"" + PackHex + "\",\"blobs\":[{\"id\":\"" + BlobHex + "\",\"type\":\"data\",\"offset\":0,\"length\":42}]}]";
        IndexFile index = IndexFile.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Empty(index.Supersedes);
        IndexPack pack = Assert.Single(index.Packs);
        Assert.Equal(Id.Parse(PackHex), pack.PackId);
        Assert.Equal(new PackedBlob(new BlobHandle(Id.Parse(BlobHex), BlobType.Data), 0, 42, 0), Assert.Single(pack.Blobs));
    }

    [Fact]
    public void Matches_keys_case_insensitively_and_ignores_unknown_keys()
    {
        string json = "{\"Packs\":[{\"ID\":\"" + PackHex + "\",\"note\":{\"a\":[1]},\"BLOBS\":[{\"Id\":\"" + BlobHex
            + "\",\"Type\":\"tree\",\"Offset\":7,\"LENGTH\":40,\"Uncompressed_Length\":90,\"extra\":null}]}],\"packs_to_delete\":[]}";
        IndexFile index = IndexFile.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(new PackedBlob(new BlobHandle(Id.Parse(BlobHex), BlobType.Tree), 7, 40, 90), Assert.Single(Assert.Single(index.Packs).Blobs));
    }

    [Theory]
    [InlineData("{\"packs\":[{\"id\":\"@P\",\"blobs\":[{\"id\":\"@B\",\"type\":\"Data\",\"offset\":0,\"length\":40}]}]}", "type")]
    [InlineData("{\"packs\":[{\"id\":\"nothex\",\"blobs\":[]}]}", "ID")]
    [InlineData("{\"packs\":[{\"blobs\":[]}]}", "no id")]
    [InlineData("{\"packs\":[{\"id\":\"@P\",\"blobs\":[{\"id\":\"@B\",\"type\":\"data\",\"offset\":-1,\"length\":40}]}]}", "JSON")]
    [InlineData("{\"packs\":[", "JSON")]
    public void Rejects_malformed_indexes(string template, string mentioned)
    {
        string json = template.Replace("@P", PackHex, StringComparison.Ordinal).Replace("@B", BlobHex, StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => IndexFile.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_is_valid_json_for_an_empty_index()
    {
        using var doc = JsonDocument.Parse(new IndexFile().ToJson());
        Assert.Equal(0, doc.RootElement.GetProperty("packs").GetArrayLength());
    }
}
