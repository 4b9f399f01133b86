// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Archiving;

/// <summary>
/// Counts the files and bytes a backup will visit, running alongside it, so progress can show an
/// ETA. Errors are ignored here: the backup itself reports them.
/// </summary>
internal sealed class SourceScanner
{
    private readonly LocalFileSystem _fileSystem;
    private readonly BackupOptions _options;
    private readonly BackupStatus _status;

    public SourceScanner(LocalFileSystem fileSystem, BackupOptions options, BackupStatus status)
    {
        _fileSystem = fileSystem;
        _options = options;
        _status = status;
    }

    public void Scan(CancellationToken cancellationToken)
    {
        var pending = new Stack<(string Path, ulong? Device)>();
        foreach (string path in _options.Paths)
        {
            pending.Push((_options.AccessPathOf(path, path), null));
        }

        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (path, device) = pending.Pop();
            FileStatus status;
            try
            {
                status = _fileSystem.LinkStatus(path);
            }
            catch (FileSystemException)
            {
                continue;
            }

            if (_options.OneFileSystem && device is ulong root && status.Device != root)
            {
                continue;
            }

            if (status.IsRegularFile)
            {
                _status.AddScanned(1, status.Size);
            }
            else if (status.IsDirectory)
            {
                List<string> names;
                try
                {
                    names = _fileSystem.ReadDirectory(path);
                }
                catch (FileSystemException)
                {
                    continue;
                }

                foreach (string name in names)
                {
                    string child = TreeWalker.Join(path, name);
                    if (!_options.Excludes.Matches(child))
                    {
                        pending.Push((child, device ?? status.Device));
                    }
                }
            }
        }

        _status.FinishScan();
    }
}
