// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Format.Json;
using Haven.Format.Locks;

namespace Haven.Format.Tests.Locks;

public class LockFileTests
{
    [Fact]
    public void Writes_restic_order_and_omits_zero_ids()
    {
        var root = new LockFile { Time = GoTimestamp.Parse("2026-11-26T02:54:25.5+01:00"), Exclusive = true, Hostname = "vm", Username = "root", Pid = 42 };
        Assert.Equal("{\"time\":\"2026-11-26T02:54:25.5+01:00\",\"exclusive\":true,\"hostname\":\"vm\",\"username\":\"root\",\"pid\":42}", Encoding.UTF8.GetString(root.ToJson()));
        var user = new LockFile { Time = GoTimestamp.Zero, Hostname = "vm", Username = "me", Pid = 7, Uid = 1000, Gid = 1001 };
        byte[] json = user.ToJson();
        Assert.Equal("{\"time\":\"0001-01-01T00:00:00Z\",\"exclusive\":false,\"hostname\":\"vm\",\"username\":\"me\",\"pid\":7,\"uid\":1000,\"gid\":1001}", Encoding.UTF8.GetString(json));
        var parsed = LockFile.Parse(json);
        Assert.Equal((user.Time, user.Exclusive, user.Hostname, user.Username, user.Pid, user.Uid, user.Gid), (parsed.Time, parsed.Exclusive, parsed.Hostname, parsed.Username, parsed.Pid, parsed.Uid, parsed.Gid));
    }

    [Fact]
    public void Reads_leniently_and_rejects_garbage()
    {
        var parsed = LockFile.Parse("{\"Exclusive\":true,\"pid\":null,\"extra\":[1]}"u8);
        Assert.True(parsed.Exclusive);
        Assert.True(parsed.Time.IsZero);
        Assert.Throws<InvalidDataException>(() => LockFile.Parse("{\"pid\":\"x\"}"u8));
        Assert.Throws<InvalidDataException>(() => LockFile.Parse("{\"pid\":"u8));
    }
}
