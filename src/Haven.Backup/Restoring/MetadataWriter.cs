// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format.Diagnostics;
using Haven.Format.Trees;

namespace Haven.Backup.Restoring;

/// <summary>
/// Applies a node's owner, mode, extended attributes and times to a restored entry, in that order:
/// chown clears setuid/setgid, so the mode comes after it, and every other change moves ctime and
/// maybe mtime, so times come last. Owners are set only when running as root, as restic does.
/// </summary>
internal sealed class MetadataWriter
{
    private readonly LocalFileSystem _fileSystem;
    private readonly bool _canChown = Environment.IsPrivilegedProcess;

    public MetadataWriter(LocalFileSystem fileSystem)
    {
        _fileSystem = fileSystem;
    }

    public void Apply(string path, Node node)
    {
        long started = StageClock.Start();
        if (_canChown)
        {
            _fileSystem.SetOwner(path, node.Uid, node.Gid);
        }

        if (node.Type != NodeType.Symlink)
        {
            _fileSystem.SetPermissions(path, FileModes.PosixPermissionsFromGoMode(node.Mode));
        }

        if (node.ExtendedAttributes is { } attributes)
        {
            foreach (var attribute in attributes)
            {
                _fileSystem.SetExtendedAttribute(path, attribute.Name, attribute.Value ?? []);
            }
        }

        if (!node.ModTime.IsZero)
        {
            // Snapshots from minimal writers may lack atime; the mtime is the best stand-in.
            var access = node.AccessTime.IsZero ? node.ModTime : node.AccessTime;
            _fileSystem.SetTimes(path, access.UnixSeconds, access.Nanoseconds, node.ModTime.UnixSeconds, node.ModTime.Nanoseconds);
        }

        StageClock.Stop(Stage.Metadata, started);
    }
}
