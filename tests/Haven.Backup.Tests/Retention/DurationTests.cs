// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Retention;

namespace Haven.Backup.Tests.Retention;

public sealed class DurationTests
{
    [Theory]
    [InlineData("1y2m3d4h", 1, 2, 3, 4)]
    [InlineData("5d", 0, 0, 5, 0)]
    [InlineData(" 36h ", 0, 0, 0, 36)]
    [InlineData("2d3d", 0, 0, 3, 0)]
    [InlineData("", 0, 0, 0, 0)]
    [InlineData("-1d", 0, 0, -1, 0)]
    public void Parses_restic_duration_syntax(string text, int years, int months, int days, int hours)
    {
        Assert.Equal(new Duration(years, months, days, hours), Duration.Parse(text));
    }

    [Theory]
    [InlineData("1", "no unit found after number 1")]
    [InlineData("d", "no number found")]
    [InlineData("3w", "invalid unit 'w' after number 3")]
    [InlineData("1y-", "no number found")]
    [InlineData("99999999999d", "too large")]
    public void Rejects_malformed_durations_saying_why(string text, string why)
    {
        var error = Assert.Throws<FormatException>(() => Duration.Parse(text));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 2, 3, 4, "1y2m3d4h")]
    [InlineData(0, 0, 7, 0, "7d")]
    [InlineData(0, 1, 0, 12, "1m12h")]
    [InlineData(0, 0, 0, 0, "")]
    public void Prints_like_restic(int years, int months, int days, int hours, string expected)
    {
        Assert.Equal(expected, new Duration(years, months, days, hours).ToString());
    }

    [Theory]
    [InlineData("2023-03-31T12:00:00Z", "1m", "2023-03-03T12:00:00Z")]
    [InlineData("2024-03-31T12:00:00Z", "1m", "2024-03-02T12:00:00Z")]
    [InlineData("2024-02-29T00:00:00Z", "1y", "2023-03-01T00:00:00Z")]
    [InlineData("2024-01-10T05:00:00Z", "10d6h", "2023-12-30T23:00:00Z")]
    [InlineData("2024-01-15T00:30:00+02:00", "1m1d1h", "2023-12-13T23:30:00+02:00")]
    [InlineData("2024-05-01T00:00:00Z", "1y13m", "2022-04-01T00:00:00Z")]
    public void Counts_back_as_go_AddDate_does(string reference, string duration, string expected)
    {
        var before = Duration.Parse(duration).Before(DateTimeOffset.Parse(reference, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), before);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, before.Offset);
    }

    [Fact]
    public void Counting_back_past_year_one_gives_the_earliest_time()
    {
        Assert.Equal(DateTimeOffset.MinValue, Duration.Parse("5y").Before(new DateTimeOffset(3, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}
