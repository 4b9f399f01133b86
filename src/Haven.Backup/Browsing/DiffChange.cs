// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Browsing;

/// <summary>
/// One line of a diff: <paramref name="Path"/> (folders end in "/") and what happened to it:
/// "+" added, "-" removed, "M" content modified, "U" metadata updated, "T" type changed (or "TM", "TU").
/// </summary>
public sealed record DiffChange(string Path, string Modifier);
