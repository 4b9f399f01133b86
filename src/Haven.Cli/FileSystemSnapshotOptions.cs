// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Apps.FileSystemSnapshots;

namespace Haven.Cli;

/// <summary>backup --fs-snapshot and --fs-snapshot-size: read the paths from a point-in-time snapshot of their volume.</summary>
internal sealed class FileSystemSnapshotOptions
{
    private readonly Option<string> _mode = new("--fs-snapshot")
    {
        Description = "Read the paths from a snapshot of their volume, removed afterwards: btrfs, lvm, auto or off",
        DefaultValueFactory = _ => "off",
    };

    private readonly Option<string> _size = new("--fs-snapshot-size")
    {
        Description = "Copy-on-write space of an LVM snapshot, e.g. 2G or 10%ORIGIN",
        DefaultValueFactory = _ => "10%ORIGIN",
    };

    // How long removing the snapshots may hold process exit after Ctrl-C (unmount, lvremove, btrfs subvolume delete).
    private static readonly TimeSpan s_removalTimeout = TimeSpan.FromMinutes(2);

    public void AddTo(Command command)
    {
        command.Add(_mode);
        command.Add(_size);
    }

    /// <summary>Takes the snapshots the command line asks for; disposing the set removes them and only then lets the process exit.</summary>
    public async Task<SnapshotScope> TakeAsync(CliContext context, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var mode = ModeOf(context.ParseResult.GetValue(_mode)!);
        var hold = mode == FileSystemSnapshotMode.Off ? ShutdownDelay.None : ShutdownDelay.Hold(s_removalTimeout);
        try
        {
            var set = await FileSystemSnapshotSet.TakeAsync(
                mode, paths, context.ParseResult.GetValue(_size)!, TimeProvider.System, context.Printer.Note, context.Printer.Warning, cancellationToken);
            var scope = new SnapshotScope(set, hold);
            if (hold != ShutdownDelay.None)
            {
                hold.CleanUp = () => scope.DisposeAsync().AsTask();
            }

            return scope;
        }
        catch
        {
            hold.Dispose();
            throw;
        }
    }

    private static FileSystemSnapshotMode ModeOf(string text) => text switch
    {
        "off" => FileSystemSnapshotMode.Off,
        "btrfs" => FileSystemSnapshotMode.Btrfs,
        "lvm" => FileSystemSnapshotMode.Lvm,
        "auto" => FileSystemSnapshotMode.Auto,
        _ => throw new UsageException($"--fs-snapshot '{text}' is not one of btrfs, lvm, auto, off"),
    };

    /// <summary>The snapshots of one backup run.</summary>
    internal sealed class SnapshotScope : IAsyncDisposable
    {
        private readonly CleanUpOnce _removal;

        public SnapshotScope(FileSystemSnapshotSet set, IDisposable hold)
        {
            Set = set;
            _removal = new CleanUpOnce(set.DisposeAsync, hold);
        }

        public FileSystemSnapshotSet Set { get; }

        /// <summary>Removes the snapshots once: from the command, or at process exit when the command is stuck.</summary>
        public ValueTask DisposeAsync() => _removal.RunAsync();
    }
}
