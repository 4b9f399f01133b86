// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Haven.Apps.Tests.Postgres.Physical;

/// <summary>A base backup plus WAL archived through 'haven pg wal-push', restored to a time, a restore point, a position and the end; PostgreSQL runs on each result.</summary>
[Collection(PitrCollection.Name)]
public sealed class PointInTimeRestoreTests(PitrHistory history)
{
    [Fact]
    public void A_time_between_two_commits_gives_exactly_the_rows_committed_before_it()
    {
        string time = history.BetweenOneAndTwo.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
        Assert.Equal("1", history.RestoreAndRead("--time", time));
    }

    [Fact]
    public void A_named_restore_point_gives_the_rows_committed_before_it()
    {
        Assert.Equal("1,2", history.RestoreAndRead("--restore-point", "after_two"));
    }

    [Fact]
    public void A_wal_position_gives_the_rows_committed_before_it()
    {
        Assert.Equal("1,2,3", history.RestoreAndRead("--lsn", history.AfterThree));
    }

    [Fact]
    public void Without_a_target_everything_archived_is_replayed()
    {
        Assert.Equal("1,2,3,4", history.RestoreAndRead());
    }

    [Fact]
    public void Status_shows_the_base_backup_the_newest_segment_its_age_and_no_gaps()
    {
        var status = JsonNode.Parse(history.Archiving.Haven("pg", "status", "--json").Check().Stdout)!;
        var cluster = status["clusters"]![0]!;
        Assert.Single(cluster["base_backups"]!.AsArray());
        Assert.True(string.CompareOrdinal((string)cluster["newest_segment"]!, history.LastSegment) >= 0, status.ToJsonString());
        Assert.Empty(cluster["gaps"]!.AsArray());
        Assert.InRange((double)cluster["newest_segment_age_seconds"]!, 0, 3600);
        string text = history.Archiving.Haven("pg", "status").Check().Stdout;
        Assert.Contains("no gaps", text, StringComparison.Ordinal);
    }
}
