// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Repairing;

/// <summary>
/// One snapshot that needed repair: what changed (one line per file or folder), the new snapshot
/// (null in a dry run or when the root folder was unreadable), and whether the original was removed.
/// </summary>
public sealed record RepairedSnapshot(Id Original, Id? Replacement, bool OriginalRemoved, IReadOnlyList<string> Changes);
