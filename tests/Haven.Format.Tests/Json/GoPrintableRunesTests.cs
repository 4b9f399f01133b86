// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using Haven.Format.Json;

namespace Haven.Format.Tests.Json;

public class GoPrintableRunesTests
{
    [Fact]
    public void Tables_are_the_ones_compiled_into_restic_0_14()
    {
        byte[] binary = File.ReadAllBytes("/usr/bin/restic");
        AssertContains(binary, MemoryMarshal.AsBytes(GoPrintableRunes.IsPrint16));
        AssertContains(binary, MemoryMarshal.AsBytes(GoPrintableRunes.IsNotPrint16));
        AssertContains(binary, MemoryMarshal.AsBytes(GoPrintableRunes.IsPrint32));
        AssertContains(binary, MemoryMarshal.AsBytes(GoPrintableRunes.IsNotPrint32));
    }

    [Theory]
    [InlineData(' ', true)]
    [InlineData('~', true)]
    [InlineData(0x7F, false)]
    [InlineData(0xA0, false)]
    [InlineData(0xAD, false)]
    [InlineData(0xE9, true)]
    [InlineData(0x0378, false)]
    [InlineData(0x2028, false)]
    [InlineData(0xFEFF, false)]
    [InlineData(0x1F600, true)]
    [InlineData(0x1000C, false)]
    [InlineData(0x20000, true)]
    [InlineData(0xE0001, false)]
    public void Classifies_runes_like_go_1_19(int rune, bool printable)
    {
        Assert.Equal(printable, GoPrintableRunes.IsPrint(rune));
    }

    private static void AssertContains(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        Assert.True(haystack.AsSpan().IndexOf(needle) >= 0, "table not found in /usr/bin/restic");
    }
}
