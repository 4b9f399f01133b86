// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format;

/// <summary>The kinds of file a repository stores; each has its own folder (see <see cref="FileTypeNames"/>).</summary>
public enum FileType
{
    Config,
    Key,
    Lock,
    Snapshot,
    Index,
    Pack,
}
