// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli.Tests;

/// <summary>What backup hooks are told about the repository, and how --hook-timeout is read.</summary>
public sealed class BackupHookOptionsTests
{
    [Theory]
    [InlineData("rest:https://user:secret@backup.example:8000/laptop/", "rest:https://backup.example:8000/laptop/")]
    [InlineData("s3:https://s3.example/bucket/prefix", "s3:https://s3.example/bucket/prefix")]
    [InlineData("/srv/repo", "/srv/repo")]
    public void The_repository_given_to_hooks_has_no_credentials(string location, string expected) =>
        Assert.Equal(expected, BackupHookOptions.WithoutCredentials(location));

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    public void Hook_timeouts_are_read_in_seconds_minutes_and_hours(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse("--hook-timeout", text));

    [Theory]
    [InlineData("")]
    [InlineData("0s")]
    [InlineData("5 minutes")]
    [InlineData("-3")]
    public void A_timeout_that_is_not_a_duration_is_a_usage_error(string text)
    {
        var error = Assert.Throws<UsageException>(() => DurationText.Parse("--hook-timeout", text));
        Assert.Contains("--hook-timeout", error.Message, StringComparison.Ordinal);
    }
}
