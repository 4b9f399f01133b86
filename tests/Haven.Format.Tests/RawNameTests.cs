// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format;

namespace Haven.Format.Tests;

public class RawNameTests
{
    [Fact]
    public void Any_bytes_survive_decode_and_encode()
    {
        Gen.Byte.Array[0, 64].Sample(bytes => Assert.Equal(bytes, RawName.Encode(RawName.Decode(bytes))), iter: 20_000);
    }

    [Fact]
    public void Valid_utf8_decodes_to_the_ordinary_string()
    {
        Assert.Equal("emoji😀 中", RawName.Decode("emoji😀 中"u8));
        Assert.False(RawName.HasEscapes("emoji😀 中"));
    }

    [Fact]
    public void Invalid_bytes_become_escapes_that_encode_back()
    {
        byte[] raw = [(byte)'b', 0xff, (byte)'x', 0xc3];
        string name = RawName.Decode(raw);
        Assert.True(RawName.HasEscapes(name));
        Assert.Equal(4, name.Length);
        Assert.Equal(raw, RawName.Encode(name));
    }
}
