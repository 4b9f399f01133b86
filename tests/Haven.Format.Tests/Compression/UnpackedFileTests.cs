// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Compression;

namespace Haven.Format.Tests.Compression;

public class UnpackedFileTests
{
    private static readonly byte[] s_json = "{\"time\":\"2026-11-26T01:54:25Z\",\"paths\":[\"/srv\"]}"u8.ToArray();

    [Fact]
    public void Version_2_prefixes_0x02_to_a_zstd_frame()
    {
        byte[] encoded = UnpackedFile.Encode(s_json, 2);
        Assert.Equal(0x02, encoded[0]);
        Assert.Equal(s_json, Zstd.DecompressUnknownSize(encoded.AsSpan(1)));
        Assert.Equal(s_json, UnpackedFile.Decode(encoded));
    }

    [Fact]
    public void Version_1_stores_raw_json()
    {
        Assert.Equal(s_json, UnpackedFile.Encode(s_json, 1));
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[{\"id\":\"x\"}]")]
    public void Decode_accepts_raw_json_objects_and_arrays(string json)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
        Assert.Equal(bytes, UnpackedFile.Decode(bytes));
    }

    [Theory]
    [InlineData(new byte[] { (byte)' ', (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { 0xef, 0xbb, 0xbf, (byte)'{', (byte)'}' })]
    [InlineData(new byte[] { 0x01, 0x00 })]
    [InlineData(new byte[0])]
    public void Decode_rejects_other_leading_bytes(byte[] plaintext)
    {
        var error = Assert.Throws<InvalidDataException>(() => UnpackedFile.Decode(plaintext));
        Assert.Contains("not supported encoding format", error.Message, StringComparison.Ordinal);
    }
}
