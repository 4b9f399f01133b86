// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Pruning;

namespace Haven.Backup.Tests.Pruning;

/// <summary>--max-unused and --max-repack-size as restic reads them.</summary>
public sealed class UnusedLimitTests
{
    [Theory]
    [InlineData("5%", 1000UL, 52UL)]
    [InlineData("0%", 1000UL, 0UL)]
    [InlineData("50%", 1000UL, 1000UL)]
    [InlineData("100M", 1000UL, 100UL << 20)]
    [InlineData("2k", 7UL, 2048UL)]
    [InlineData("unlimited", 1000UL, ulong.MaxValue)]
    public void A_limit_allows_this_much_unused_space_for_the_used_size(string text, ulong used, ulong allowed)
    {
        Assert.Equal(allowed, UnusedLimit.Parse(text).MaxUnusedBytes(used));
    }

    [Theory]
    [InlineData("100%")]
    [InlineData("-1%")]
    [InlineData("x%")]
    [InlineData("lots")]
    [InlineData("")]
    public void A_malformed_limit_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => UnusedLimit.Parse(text));
    }

    [Theory]
    [InlineData("123", 123L)]
    [InlineData("1b", 1L)]
    [InlineData("1K", 1024L)]
    [InlineData("3m", 3L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("1t", 1L << 40)]
    public void Sizes_take_binary_units(string text, long bytes)
    {
        Assert.Equal(bytes, ByteSize.Parse(text));
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("-1")]
    [InlineData("k")]
    [InlineData("99999999999t")]
    public void A_malformed_size_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => ByteSize.Parse(text));
    }
}
