// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Filtering;

namespace Haven.Backup.Restoring;

/// <summary>
/// restic's include and exclude rules for restore: an excluded path is skipped with everything below
/// it; with includes, an entry is restored when it or a folder above it matches, and a folder that
/// could hold a match is created on the way.
/// </summary>
internal sealed class RestoreSelection
{
    private readonly PathFilter _includes;
    private readonly PathFilter _excludes;

    public RestoreSelection(PathFilter includes, PathFilter excludes)
    {
        _includes = includes;
        _excludes = excludes;
    }

    public RestoreDecision Decide(string snapshotPath, bool isDirectory, bool selectedByParent)
    {
        if (_excludes.Matches(snapshotPath))
        {
            return RestoreDecision.Skip;
        }

        if (selectedByParent || _includes.IsEmpty || _includes.Matches(snapshotPath))
        {
            return RestoreDecision.Restore;
        }

        return isDirectory && _includes.MayMatchBelow(snapshotPath) ? RestoreDecision.PassThrough : RestoreDecision.Skip;
    }
}
