// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using System.Text;
using Haven.Backup.FileSystem;

namespace Haven.Apps.FileSystemSnapshots;

/// <summary>The mounts of this process (/proc/self/mountinfo).</summary>
internal static class MountTable
{
    public static List<MountEntry> Read() => [.. File.ReadAllLines("/proc/self/mountinfo").Select(Parse)];

    /// <summary>
    /// The deepest mount that holds <paramref name="path"/>, preferring one whose device is <paramref name="device"/>
    /// (btrfs gives each subvolume a device number of its own, which mountinfo does not list).
    /// </summary>
    public static MountEntry? Holding(string path, ulong device)
    {
        var holding = Read().Where(mount => IsAtOrBelow(path, mount.MountPoint)).ToList();
        return holding.Where(mount => mount.Major == DeviceNumber.Major(device) && mount.Minor == DeviceNumber.Minor(device)).MaxBy(mount => mount.MountPoint.Length)
            ?? holding.MaxBy(mount => mount.MountPoint.Length);
    }

    public static bool IsMounted(string mountPoint) => Read().Any(mount => mount.MountPoint == mountPoint);

    /// <summary>Parses "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue" (proc(5)).</summary>
    public static MountEntry Parse(string line)
    {
        string[] fields = line.Split(' ');
        int separator = Array.IndexOf(fields, "-", 6);
        string[] device = fields[2].Split(':');
        return new MountEntry(
            uint.Parse(device[0], CultureInfo.InvariantCulture),
            uint.Parse(device[1], CultureInfo.InvariantCulture),
            Unescape(fields[3]),
            Unescape(fields[4]),
            fields[separator + 1],
            Unescape(fields[separator + 2]));
    }

    public static bool IsAtOrBelow(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);

    // The kernel writes space, tab, newline and backslash in paths as \ooo octal escapes.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(ReadOnlySpan<char> digits) => digits.IndexOfAnyExceptInRange('0', '7') < 0;
}
