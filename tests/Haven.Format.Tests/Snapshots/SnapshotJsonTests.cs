// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Format.Json;
using Haven.Format.Snapshots;

namespace Haven.Format.Tests.Snapshots;

public class SnapshotJsonTests
{
    private static readonly Id s_tree = Id.Hash("tree"u8);

    [Fact]
    public void Writes_what_restic_0_14_writes()
    {
        var snapshot = new Snapshot
        {
            Time = GoTimestamp.Parse("2026-11-26T01:54:25.75601711Z"),
            Tree = s_tree,
            Paths = ["/srv/src"],
            Hostname = "vm",
            Username = "root",
            Tags = ["t1"],
            Excludes = [],
        };
        string expected = $"{{\"time\":\"2026-11-26T01:54:25.75601711Z\",\"tree\":\"{s_tree}\",\"paths\":[\"/srv/src\"],\"hostname\":\"vm\",\"username\":\"root\",\"tags\":[\"t1\"]}}";
        Assert.Equal(expected, Encoding.UTF8.GetString(snapshot.ToJson()));
    }

    [Fact]
    public void Writes_every_field_in_go_order()
    {
        var snapshot = new Snapshot
        {
            Time = GoTimestamp.Zero,
            Parent = s_tree,
            Tree = s_tree,
            Hostname = "h",
            Username = "u",
            Uid = 1000,
            Gid = 100,
            Excludes = ["*.o"],
            Tags = ["a<b"],
            Original = s_tree,
            ProgramVersion = "haven 0.1",
            Summary = new SnapshotSummary { BackupStart = GoTimestamp.FromUnix(0, 0, 0), FilesNew = 1, DataBlobs = 2, TotalBytesProcessed = 3 },
        };
        string id = s_tree.ToString();
        string expected = $"{{\"time\":\"0001-01-01T00:00:00Z\",\"parent\":\"{id}\",\"tree\":\"{id}\",\"paths\":null,\"hostname\":\"h\",\"username\":\"u\",\"uid\":1000,\"gid\":100," +
            $"\"excludes\":[\"*.o\"],\"tags\":[\"a\\u003cb\"],\"original\":\"{id}\",\"program_version\":\"haven 0.1\",\"summary\":{{\"backup_start\":\"1970-01-01T00:00:00Z\",\"backup_end\":\"0001-01-01T00:00:00Z\"," +
            "\"files_new\":1,\"files_changed\":0,\"files_unmodified\":0,\"dirs_new\":0,\"dirs_changed\":0,\"dirs_unmodified\":0,\"data_blobs\":2,\"tree_blobs\":0,\"data_added\":0,\"data_added_packed\":0,\"total_files_processed\":0,\"total_bytes_processed\":3}}";
        byte[] json = snapshot.ToJson();
        Assert.Equal(expected, Encoding.UTF8.GetString(json));
        Assert.Equal(json, Snapshot.Parse(json).ToJson());
    }

    [Fact]
    public void Reads_leniently()
    {
        string json = $"{{\"TIME\":\"2026-11-26T01:54:25+01:00\",\"tree\":\"{s_tree}\",\"dir\":\"/legacy\",\"label\":\"rustic\",\"summary\":{{\"files_new\":5}}}}";
        var snapshot = Snapshot.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(3600, snapshot.Time.OffsetSeconds);
        Assert.Null(snapshot.Paths);
        Assert.Equal(5UL, snapshot.Summary!.FilesNew);
        Assert.True(snapshot.Summary.BackupStart.IsZero);
    }

    [Fact]
    public void Missing_tree_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => Snapshot.Parse("{\"time\":\"2026-11-26T01:54:25Z\",\"paths\":[]}"u8));
        Assert.Throws<FormatException>(() => Snapshot.Parse("{\"tree\":null}"u8));
    }
}
