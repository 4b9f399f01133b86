// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

public sealed class AccountAndHostTests
{
    private readonly LocalFileSystem _fs = new();

    [Fact]
    public void Root_user_and_group_resolve_both_ways()
    {
        Assert.Equal("root", _fs.UserName(0));
        Assert.Equal("root", _fs.GroupName(0));
        Assert.Equal(0U, _fs.UserId("root"));
        Assert.Equal(0U, _fs.GroupId("root"));
    }

    [Fact]
    public void Names_agree_with_the_account_database()
    {
        string[] user = Tool.Run("getent", "passwd", "nobody").Split(':');
        string[] group = Tool.Run("getent", "group", "nogroup").Split(':');
        Assert.Equal(user[0], _fs.UserName(uint.Parse(user[2], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(uint.Parse(user[2], System.Globalization.CultureInfo.InvariantCulture), _fs.UserId("nobody"));
        Assert.Equal(uint.Parse(group[2], System.Globalization.CultureInfo.InvariantCulture), _fs.GroupId("nogroup"));
        Assert.Equal("nogroup", _fs.GroupName(_fs.GroupId("nogroup")!.Value));
    }

    [Fact]
    public void Unknown_ids_and_names_are_null()
    {
        Assert.Null(_fs.UserName(3_999_999_999));
        Assert.Null(_fs.GroupName(3_999_999_999));
        Assert.Null(_fs.UserId("haven-no-such-user"));
        Assert.Null(_fs.GroupId("haven-no-such-group"));
        Assert.Null(_fs.UserName(3_999_999_999));
    }

    [Fact]
    public void Concurrent_lookups_through_one_instance_agree()
    {
        string userOne = Tool.Run("getent", "passwd", "1").Split(':')[0];
        var results = new System.Collections.Concurrent.ConcurrentBag<(string?, uint?)>();
        Parallel.For(0, 200, i => results.Add((_fs.UserName((uint)(i % 2)), _fs.GroupId(i % 2 == 0 ? "root" : "nogroup"))));
        Assert.Equal(100, results.Count(r => r == ("root", 0U)));
        Assert.Equal(100, results.Count(r => r.Item1 == userOne && r.Item2 == _fs.GroupId("nogroup")));
    }

    [Fact]
    public void Host_name_is_the_kernel_host_name()
    {
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").TrimEnd('\n'), _fs.HostName);
    }
}
