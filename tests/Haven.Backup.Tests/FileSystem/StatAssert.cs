// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Backup.FileSystem;

namespace Haven.Backup.Tests.FileSystem;

/// <summary>Compares a <see cref="FileStatus"/> field by field with what GNU stat prints.</summary>
public static class StatAssert
{
    private const string Format = "%f %u %g %s %i %h %t %T %d %b %X %.9X %Y %.9Y %Z %.9Z";

    public static void MatchesStatTool(FileStatus status, string path)
    {
        string[] f = Tool.Stat(Format, path).Split(' ');
        Assert.Equal(Hex(f[0]), status.Mode);
        Assert.Equal(uint.Parse(f[1], CultureInfo.InvariantCulture), status.Uid);
        Assert.Equal(uint.Parse(f[2], CultureInfo.InvariantCulture), status.Gid);
        Assert.Equal(long.Parse(f[3], CultureInfo.InvariantCulture), status.Size);
        Assert.Equal(ulong.Parse(f[4], CultureInfo.InvariantCulture), status.Inode);
        Assert.Equal(ulong.Parse(f[5], CultureInfo.InvariantCulture), status.Links);
        Assert.Equal(Hex(f[6]), DeviceNumber.Major(status.RDevice));
        Assert.Equal(Hex(f[7]), DeviceNumber.Minor(status.RDevice));
        Assert.Equal(ulong.Parse(f[8], CultureInfo.InvariantCulture), status.Device);
        Assert.Equal(long.Parse(f[9], CultureInfo.InvariantCulture), status.Blocks);
        Assert.Equal(Time(f[10], f[11]), (status.AccessSeconds, status.AccessNanoseconds));
        Assert.Equal(Time(f[12], f[13]), (status.ModifySeconds, status.ModifyNanoseconds));
        Assert.Equal(Time(f[14], f[15]), (status.ChangeSeconds, status.ChangeNanoseconds));
    }

    private static uint Hex(string text) => uint.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static (long, int) Time(string seconds, string withFraction) =>
        (long.Parse(seconds, CultureInfo.InvariantCulture),
         int.Parse(withFraction[(withFraction.IndexOf('.', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));
}
