// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Backup.Checking;

/// <summary>
/// One thing a check found wrong, naming the file (index or pack), the blob, and the snapshot
/// paths ("snapshot-id:/path") whose content it takes away.
/// </summary>
public sealed record CheckProblem(CheckProblemKind Kind, string Message)
{
    public Id? Index { get; init; }

    public Id? Pack { get; init; }

    public Id? Snapshot { get; init; }

    /// <summary>The damaged or missing blobs this problem is about.</summary>
    public IReadOnlyList<BlobHandle> Blobs { get; init; } = [];

    /// <summary>"snapshot:path" for every file or folder that loses content; filled in at the end of the check.</summary>
    public List<string> Affected { get; } = [];

    public bool IsError => Kind != CheckProblemKind.PackNotIndexed;
}
