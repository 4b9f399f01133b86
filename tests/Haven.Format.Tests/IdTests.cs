// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format;

namespace Haven.Format.Tests;

public class IdTests
{
    [Fact]
    public void Hash_of_empty_input_is_the_sha256_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Id.Hash([]).ToString());
    }

    [Fact]
    public void Parse_and_format_round_trip_in_lowercase()
    {
        Gen.Byte.Array[32].Sample(bytes =>
        {
            var id = new Id(bytes);
            string hex = id.ToString();
            Assert.Equal(hex.ToLowerInvariant(), hex);
            Assert.Equal(id, Id.Parse(hex.ToUpperInvariant()));
            Assert.Equal(bytes, id.ToArray());
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Rejects_text_that_is_not_64_hex_characters(string text)
    {
        Assert.False(Id.TryParse(text, out _));
    }

    [Fact]
    public void Order_follows_the_bytes()
    {
        var low = Id.Parse("00000000000000000000000000000000000000000000000000000000000000ff");
        var high = Id.Parse("0100000000000000000000000000000000000000000000000000000000000000");
        Assert.True(low < high);
        Assert.True(Id.Null.IsNull);
        Assert.False(low.IsNull);
    }
}
