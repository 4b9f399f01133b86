// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Collections.Concurrent;
using System.Text;
using Haven.Backup.FileSystem;
using Haven.Backup.Filtering;
using Haven.Format.Diagnostics;
using Haven.Format.Trees;
using Haven.Repository.Diagnostics;

namespace Haven.Backup.Archiving;

/// <summary>
/// The sources' metadata (lstat, folder listings, extended attributes, link targets, owner names)
/// read into memory on another thread while the repository is opened: none of it needs the key,
/// so it overlaps key derivation, and the walk that follows finds it ready. Only a cache: whatever
/// it could not read, the walk reads (and reports) itself, and each entry is handed out once.
/// </summary>
internal sealed class SourcePrewalk
{
    // Deeper paths are reached through an open folder by the walk (see DirectoryAccess); left to it.
    private const int PathLimit = 4096 - 1 - 255 - 1;

    private readonly ConcurrentDictionary<string, PrewalkEntry> _entries = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _paths;
    private readonly PathFilter _excludes;
    private readonly bool _oneFileSystem;
    private readonly TimeZoneInfo _zone;
    private readonly Task _walk;

    private SourcePrewalk(LocalFileSystem fileSystem, BackupOptions options, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        _paths = options.Paths;
        _excludes = options.Excludes;
        _oneFileSystem = options.OneFileSystem;
        _zone = zone;
        var nodes = new NodeFactory(fileSystem, zone);
        _walk = Task.Run(() => Walk(fileSystem, nodes, cancellationToken), cancellationToken);
    }

    /// <summary>Starts reading the metadata of <paramref name="options"/>' paths on another thread; null when the options read from elsewhere.</summary>
    public static SourcePrewalk? Start(LocalFileSystem fileSystem, BackupOptions options, TimeZoneInfo zone, CancellationToken cancellationToken) =>
        ReadsPathsAsTheyAre(options) ? new SourcePrewalk(fileSystem, options, zone, cancellationToken) : null;

    /// <summary>
    /// True when this prewalk read what a backup with <paramref name="options"/> would: the same paths,
    /// excludes and file-system boundary, read in place (no filesystem snapshot). Consistent copies of
    /// databases change only how content is read, not what lstat says, so they do not matter here.
    /// </summary>
    internal bool Fits(BackupOptions options, TimeZoneInfo zone) =>
        ReadsPathsAsTheyAre(options) && options.Paths.SequenceEqual(_paths, StringComparer.Ordinal)
        && ReferenceEquals(options.Excludes, _excludes) && options.OneFileSystem == _oneFileSystem && zone.Equals(_zone);

    /// <summary>Waits for the prewalk; false when it failed or was cancelled (the walk then reads everything itself).</summary>
    internal async Task<bool> CompleteAsync()
    {
        await _walk.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return _walk.IsCompletedSuccessfully;
    }

    /// <summary>Hands out what was read about <paramref name="path"/> (a logical path, as the walk joins it), once.</summary>
    internal bool TryTake(string path, out PrewalkEntry entry) => _entries.TryRemove(path, out entry!);

    private static bool ReadsPathsAsTheyAre(BackupOptions options) =>
        options.Paths.Count > 0 && options.SourceRoots.Count == 0 && options.DeviceAliases.Count == 0
        && options.Streams.Count == 0 && options.Stdin is null;

    private void Walk(LocalFileSystem fileSystem, NodeFactory nodes, CancellationToken cancellationToken)
    {
        using var timing = PhaseTimings.Measure("backup: sources' metadata read ahead (prewalk)");
        var pending = new Stack<(string Path, string Name, ulong? Device)>();
        foreach (string path in _paths)
        {
            if (path != "/")
            {
                pending.Push((path, path[(path.LastIndexOf('/') + 1)..], null));
            }
        }

        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (path, name, rootDevice) = pending.Pop();
            if (Encoding.UTF8.GetByteCount(path) >= PathLimit || Read(fileSystem, nodes, path, name, rootDevice) is not { } entry)
            {
                continue;
            }

            _entries[path] = entry;
            foreach (string child in entry.Names ?? [])
            {
                pending.Push((TreeWalker.Join(path, child), child, rootDevice ?? entry.Status.Device));
            }
        }
    }

    /// <summary>What the walk would find at <paramref name="path"/>; null when anything fails (the walk meets and reports it).</summary>
    private PrewalkEntry? Read(LocalFileSystem fileSystem, NodeFactory nodes, string path, string name, ulong? rootDevice)
    {
        long started = StageClock.Start();
        try
        {
            var status = fileSystem.LinkStatus(path);
            if (_oneFileSystem && rootDevice is ulong device && status.Device != device)
            {
                return null;
            }

            var node = nodes.Create(name, path, status);
            if (node.Type != NodeType.Dir)
            {
                return new PrewalkEntry(status, node, null);
            }

            var names = fileSystem.ReadDirectory(path);
            names.RemoveAll(child => _excludes.Matches(TreeWalker.Join(path, child)));
            names.Sort(RawNameComparer.Instance);
            return new PrewalkEntry(status, node, names);
        }
        catch (FileSystemException)
        {
            return null;
        }
        finally
        {
            StageClock.Stop(Stage.Walk, started);
        }
    }
}
