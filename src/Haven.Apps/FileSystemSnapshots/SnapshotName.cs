// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Haven.Apps.FileSystemSnapshots;

/// <summary>
/// Names snapshots "haven-snapshot-PID-UNIXTIME" (btrfs puts a dot in front to hide them), so that a
/// snapshot left behind by a run that was killed is recognised by the next run: its process is gone,
/// or the process with that id started after the snapshot was made.
/// </summary>
internal static partial class SnapshotName
{
    public const string Stem = "haven-snapshot-";

    public static string Create(string prefix, int processId, DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{Stem}{processId}-{time.ToUnixTimeSeconds()}");

    /// <summary>True for a name this class made whose run is over: the snapshot is a leftover to remove.</summary>
    public static bool IsLeftover(string name)
    {
        var match = Pattern().Match(name);
        if (!match.Success)
        {
            return false;
        }

        int processId = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        long created = long.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        try
        {
            using var process = Process.GetProcessById(processId);
            return new DateTimeOffset(process.StartTime).ToUnixTimeSeconds() > created;
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"^\.?haven-snapshot-([0-9]{1,9})-([0-9]{1,19})$")]
    private static partial Regex Pattern();
}
