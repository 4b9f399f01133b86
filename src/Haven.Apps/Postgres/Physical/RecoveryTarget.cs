// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;

namespace Haven.Apps.Postgres.Physical;

/// <summary>Where PostgreSQL stops replaying: a time, a named restore point, a WAL position, or the end of the archive (all null).</summary>
public sealed record RecoveryTarget(DateTimeOffset? Time = null, string? RestorePoint = null, Lsn? Position = null, bool Inclusive = true)
{
    public static RecoveryTarget EndOfArchive { get; } = new();

    public override string ToString() =>
        Time is { } time ? "time " + time.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture)
        : RestorePoint is { } name ? $"restore point '{name}'"
        : Position is { } lsn ? $"LSN {lsn}"
        : "the end of the archived WAL";

    /// <summary>The recovery_target_* settings for postgresql.auto.conf.</summary>
    public IEnumerable<(string Name, string Value)> Settings()
    {
        if (Time is { } time)
        {
            yield return ("recovery_target_time", time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture));
        }
        else if (RestorePoint is { } name)
        {
            yield return ("recovery_target_name", name);
        }
        else if (Position is { } lsn)
        {
            yield return ("recovery_target_lsn", lsn.ToString());
        }
        else
        {
            yield break;
        }

        yield return ("recovery_target_inclusive", Inclusive ? "on" : "off");
        yield return ("recovery_target_action", "promote");
    }
}
