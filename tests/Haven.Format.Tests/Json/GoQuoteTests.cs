// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using CsCheck;
using Haven.Format.Json;

namespace Haven.Format.Tests.Json;

public class GoQuoteTests
{
    // Raw name → the exact JSON string restic 0.14 writes for it (restic-format.md §10.4, verified).
    public static TheoryData<byte[], string> ResticNameVectors => new()
    {
        { "amp&<>"u8.ToArray(), "\"amp\\u0026\\u003c\\u003e\"" },
        { "back\\slash"u8.ToArray(), "\"back\\\\\\\\slash\"" },
        { "q\"uote"u8.ToArray(), "\"q\\\\\\\"uote\"" },
        { "tab\there"u8.ToArray(), "\"tab\\\\there\"" },
        { "bel\a"u8.ToArray(), "\"bel\\\\a\"" },
        { "del\u007f"u8.ToArray(), "\"del\\\\x7f\"" },
        { [.. "bad"u8, 0xff, .. "name"u8], "\"bad\\\\xffname\"" },
        { "nbsp\u00a0x"u8.ToArray(), "\"nbsp\\\\u00a0x\"" },
        { "zwj\u200dx"u8.ToArray(), "\"zwj\\\\u200dx\"" },
        { "bom\ufeffx"u8.ToArray(), "\"bom\\\\ufeffx\"" },
        { "ls\u2028x"u8.ToArray(), "\"ls\\\\u2028x\"" },
        { "emoji😀"u8.ToArray(), "\"emoji😀\"" },
        { "cjk中"u8.ToArray(), "\"cjk中\"" },
        { "e\u0301"u8.ToArray(), "\"e\u0301\"" },
    };

    [Theory]
    [MemberData(nameof(ResticNameVectors))]
    public void Quoted_name_is_written_as_restic_writes_it(byte[] raw, string expectedJson)
    {
        var writer = new GoJsonWriter();
        writer.WriteString(GoQuote.Quote(raw));
        Assert.Equal(expectedJson, Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(raw, GoQuote.Unquote(GoQuote.Quote(raw)));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x1b, 0x0b, 0x0c, 0x08, 0x0d, 0x0a }, "\\x00\\x1b\\v\\f\\b\\r\\n")]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, "\\xed\\xa0\\x80")]
    [InlineData(new byte[] { 0xc0, 0xaf }, "\\xc0\\xaf")]
    [InlineData(new byte[] { 0xf3, 0xa0, 0x80, 0x81 }, "\\U000e0001")]
    [InlineData(new byte[] { 0xc2, 0xad }, "\\u00ad")]
    [InlineData(new byte[] { 0xef, 0xbf, 0xbd }, "\uFFFD")]
    public void Quote_uses_go_escapes(byte[] raw, string expected)
    {
        Assert.Equal(expected, GoQuote.Quote(raw));
    }

    [Fact]
    public void Unicode_14_characters_are_escaped_like_go_1_19()
    {
        // U+1FAE0 (melting face) and U+0870 came with Unicode 14; go1.19 knows only Unicode 13.
        Assert.Equal("\\U0001fae0", GoQuote.Quote("\U0001FAE0"u8));
        Assert.Equal("\\u0870", GoQuote.Quote("\u0870"u8));
        Assert.Equal("\u9ffc", GoQuote.Quote("\u9ffc"u8));
    }

    [Fact]
    public void Any_bytes_survive_quote_and_unquote()
    {
        Gen.Byte.Array[0, 48].Sample(raw => Assert.Equal(raw, GoQuote.Unquote(GoQuote.Quote(raw))), iter: 20_000);
    }

    [Fact]
    public void Any_valid_text_survives_quote_and_unquote()
    {
        Gen.String.Sample(text =>
        {
            byte[] raw = Encoding.UTF8.GetBytes(text);
            Assert.Equal(raw, GoQuote.Unquote(GoQuote.Quote(raw)));
        }, iter: 5_000);
    }

    [Theory]
    [InlineData("\\x41\\101\\u00e9\\U0001F600\\a\\\\\\\"", new byte[] { 0x41, 0x41, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0x07, 0x5c, 0x22 })]
    [InlineData("\\377\\xfe", new byte[] { 0xff, 0xfe })]
    [InlineData("plain\u00e9", new byte[] { 0x70, 0x6c, 0x61, 0x69, 0x6e, 0xc3, 0xa9 })]
    public void Unquote_decodes_every_escape_kind(string quoted, byte[] expected)
    {
        Assert.Equal(expected, GoQuote.Unquote(quoted));
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("line\nbreak")]
    [InlineData("trailing\\")]
    [InlineData("\\q")]
    [InlineData("\\'")]
    [InlineData("\\x4")]
    [InlineData("\\xzz")]
    [InlineData("\\400")]
    [InlineData("\\12")]
    [InlineData("\\ud800")]
    [InlineData("\\U00110000")]
    public void Unquote_rejects_what_go_rejects(string quoted)
    {
        Assert.Throws<FormatException>(() => GoQuote.Unquote(quoted));
    }
}
