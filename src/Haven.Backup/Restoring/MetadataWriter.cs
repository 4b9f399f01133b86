// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format.Diagnostics;
using Haven.Format.Json;
using Haven.Format.Trees;
using Microsoft.Win32.SafeHandles;

namespace Haven.Backup.Restoring;

/// <summary>
/// Applies a node's owner, mode, extended attributes and times to a restored entry, in that order:
/// chown clears setuid/setgid, so the mode comes after it, and every other change moves ctime and
/// maybe mtime, so times come last. Owners are set only when running as root, as restic does.
/// A regular file still open from its last write gets the same calls on its descriptor, which
/// spares the kernel a path lookup for each.
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

        if (TimesOf(node) is var (access, modify))
        {
            _fileSystem.SetTimes(path, access.UnixSeconds, access.Nanoseconds, modify.UnixSeconds, modify.Nanoseconds);
        }

        StageClock.Stop(Stage.Metadata, started);
    }

    /// <summary>The same as <see cref="Apply(string, Node)"/> for a regular file open for writing; <paramref name="path"/> names it in errors.</summary>
    public void Apply(SafeFileHandle file, string path, Node node)
    {
        long started = StageClock.Start();
        if (_canChown)
        {
            _fileSystem.SetOwner(file, path, node.Uid, node.Gid);
        }

        _fileSystem.SetPermissions(file, path, FileModes.PosixPermissionsFromGoMode(node.Mode));
        if (node.ExtendedAttributes is { } attributes)
        {
            foreach (var attribute in attributes)
            {
                _fileSystem.SetExtendedAttribute(file, path, attribute.Name, attribute.Value ?? []);
            }
        }

        if (TimesOf(node) is var (access, modify))
        {
            _fileSystem.SetTimes(file, path, access.UnixSeconds, access.Nanoseconds, modify.UnixSeconds, modify.Nanoseconds);
        }

        StageClock.Stop(Stage.Metadata, started);
    }

    private static (GoTimestamp Access, GoTimestamp Modify)? TimesOf(Node node)
    {
        if (node.ModTime.IsZero)
        {
            return null;
        }

        // Snapshots from minimal writers may lack atime; the mtime is the best stand-in.
        return (node.AccessTime.IsZero ? node.ModTime : node.AccessTime, node.ModTime);
    }
}
