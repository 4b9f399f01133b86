// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Format.Json;

namespace Haven.Format.Tests.Json;

public class GoJsonWriterTests
{
    [Fact]
    public void Escapes_strings_like_go_encoding_json()
    {
        var writer = new GoJsonWriter();
        writer.WriteString("<>&\"\\\n\r\t\u0001\u001f\u007f\u2028\u2029é😀\ud800");
        Assert.Equal("\"\\u003c\\u003e\\u0026\\\"\\\\\\n\\r\\t\\u0001\\u001f\u007f\\u2028\\u2029é😀\\ufffd\"", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Invalid_utf8_bytes_become_replacement_escapes()
    {
        var writer = new GoJsonWriter();
        writer.WriteString([0x61, 0xff, 0xc3, 0x62]);
        Assert.Equal("\"a\\ufffd\\ufffdb\"", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Places_commas_between_members_and_elements()
    {
        var writer = new GoJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("a");
        writer.WriteStartArray();
        writer.WriteNumber(-1L);
        writer.WriteNumber(ulong.MaxValue);
        writer.WriteBool(true);
        writer.WriteNull();
        writer.WriteStartObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WritePropertyName("b");
        writer.WriteBase64([1, 2, 3, 4]);
        writer.WritePropertyName("c");
        writer.WriteRawValue(" { \"x\" : [ 1 , \"<a b>\" ] } "u8);
        writer.WriteEndObject();
        Assert.Equal("{\"a\":[-1,18446744073709551615,true,null,{}],\"b\":\"AQIDBA==\",\"c\":{\"x\":[1,\"\\u003ca b\\u003e\"]}}", Encoding.UTF8.GetString(writer.ToArray()));
    }
}
