// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Json;

namespace Haven.Format.Tests.Json;

public class GoTimestampTests
{
    [Theory]
    [InlineData(1795658065L, 756017110, 0, "2026-11-26T01:54:25.75601711Z")]
    [InlineData(1795658065L, 0, 3600, "2026-11-26T02:54:25+01:00")]
    [InlineData(1795658065L, 500_000_000, -34200, "2026-11-25T16:24:25.5-09:30")]
    [InlineData(0L, 1, 0, "1970-01-01T00:00:00.000000001Z")]
    [InlineData(-62135596800L, 0, 0, "0001-01-01T00:00:00Z")]
    public void Formats_like_go_rfc3339nano(long seconds, int nanos, int offset, string expected)
    {
        var time = new GoTimestamp(seconds, nanos, offset);
        Assert.Equal(expected, time.ToString());
        Assert.Equal(time, GoTimestamp.Parse(expected));
    }

    [Fact]
    public void Zero_is_go_zero_time()
    {
        Assert.True(GoTimestamp.Zero.IsZero);
        Assert.Equal("0001-01-01T00:00:00Z", GoTimestamp.Zero.ToString());
        Assert.False(GoTimestamp.FromUnix(0, 0, 0).IsZero);
    }

    [Fact]
    public void Years_outside_0_to_9999_are_clamped_like_restic()
    {
        long year10000 = 253402300800L; // 10000-01-01T00:00:00Z
        Assert.Equal("9999-01-01T00:00:00Z", new GoTimestamp(year10000, 0, 0).ToString());
        long yearMinus1 = -62198755200L; // -0001-01-01T00:00:00Z
        Assert.Equal("0000-01-01T00:00:00Z", new GoTimestamp(yearMinus1, 0, 0).ToString());
    }

    [Theory]
    [InlineData("2026-11-26T01:54:25")]
    [InlineData("2026-11-26T01:54:25.Z")]
    [InlineData("2026-11-26T01:54:25.1234567891Z")]
    [InlineData("2026-02-30T01:54:25Z")]
    [InlineData("2026-11-26 01:54:25Z")]
    [InlineData("2026-11-26T01:54:25+0100")]
    [InlineData("2026-11-26T24:00:00Z")]
    public void Rejects_times_go_rejects_or_restic_breaks_on(string text)
    {
        Assert.Throws<FormatException>(() => GoTimestamp.Parse(text));
        Assert.False(GoTimestamp.TryParse(text, out _));
    }

    [Fact]
    public void Parses_seven_fraction_digits_from_dotnet()
    {
        var time = GoTimestamp.Parse("2026-11-26T01:54:25.7560171+05:45");
        Assert.Equal(756017100, time.Nanoseconds);
        Assert.Equal(20700, time.OffsetSeconds);
        Assert.Equal("2026-11-26T01:54:25.7560171+05:45", time.ToString());
    }

    [Fact]
    public void Any_time_survives_format_and_parse()
    {
        var gen = Gen.Select(Gen.Long[-62135596800L, 253402300799L - 86400], Gen.Int[0, 999_999_999], Gen.Int[-1439, 1439]);
        gen.Sample((seconds, nanos, offsetMinutes) =>
        {
            var time = GoTimestamp.FromUnix(seconds, nanos, offsetMinutes * 60);
            Assert.Equal(time, GoTimestamp.Parse(time.ToString()));
        }, iter: 20_000);
    }

    [Fact]
    public void Converts_to_and_from_date_time_offset()
    {
        var value = new DateTimeOffset(2026, 11, 26, 1, 54, 25, TimeSpan.FromHours(1)).AddTicks(1234567);
        var time = GoTimestamp.FromDateTimeOffset(value);
        Assert.Equal("2026-11-26T01:54:25.1234567+01:00", time.ToString());
        Assert.Equal(value, time.ToDateTimeOffset());
        Assert.Equal(value.Offset, time.ToDateTimeOffset().Offset);
    }
}
