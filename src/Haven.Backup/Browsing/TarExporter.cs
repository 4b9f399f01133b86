// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Formats.Tar;
using Haven.Format;
using Haven.Format.Trees;

namespace Haven.Backup.Browsing;

/// <summary>Writes a folder of a snapshot as a PAX tar stream, with owners, modes, times, links and device numbers.</summary>
public sealed class TarExporter
{
    private readonly Repository.Repository _repository;
    private readonly SnapshotBrowser _browser;

    public TarExporter(Repository.Repository repository)
    {
        _repository = repository;
        _browser = new SnapshotBrowser(repository);
    }

    public async Task WriteAsync(Node directory, string name, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await WriteEntryAsync(writer, name, directory, cancellationToken).ConfigureAwait(false);
        if (directory.Subtree is Id subtree)
        {
            var links = new Dictionary<(ulong, ulong), string>();
            await foreach (var (path, node) in _browser.WalkAsync(subtree, name, cancellationToken).ConfigureAwait(false))
            {
                if (node is { Type: NodeType.File, Links: > 1 })
                {
                    if (links.TryGetValue((node.DeviceId, node.Inode), out string? first))
                    {
                        var link = new PaxTarEntry(TarEntryType.HardLink, path) { LinkName = first };
                        Fill(link, node);
                        await writer.WriteEntryAsync(link, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    links[(node.DeviceId, node.Inode)] = path;
                }

                await WriteEntryAsync(writer, path, node, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteEntryAsync(TarWriter writer, string path, Node node, CancellationToken cancellationToken)
    {
        var type = node.Type switch
        {
            NodeType.Dir => TarEntryType.Directory,
            NodeType.Symlink => TarEntryType.SymbolicLink,
            NodeType.Fifo => TarEntryType.Fifo,
            NodeType.CharDev => TarEntryType.CharacterDevice,
            NodeType.Dev => TarEntryType.BlockDevice,
            NodeType.Socket => (TarEntryType?)null,
            _ => TarEntryType.RegularFile,
        };
        if (type is null)
        {
            return;
        }

        string entryName = path.TrimStart('/');
        var entry = new PaxTarEntry(type.Value, type == TarEntryType.Directory ? entryName + "/" : entryName);
        Fill(entry, node);
        if (node.Type == NodeType.Symlink)
        {
            entry.LinkName = node.LinkTarget ?? string.Empty;
        }
        else if (node.Type is NodeType.CharDev or NodeType.Dev)
        {
            entry.DeviceMajor = (int)((node.Device >> 8) & 0xfff) | (int)((node.Device >> 32) & ~0xfffu);
            entry.DeviceMinor = (int)(node.Device & 0xff) | (int)((node.Device >> 12) & ~0xffu);
        }

        if (node.Type == NodeType.File)
        {
            await using var content = new FileContentStream(_repository, node.Content ?? []);
            entry.DataStream = content;
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static void Fill(TarEntry entry, Node node)
    {
        entry.Mode = (UnixFileMode)FileModes.PosixPermissionsFromGoMode(node.Mode);
        entry.Uid = (int)node.Uid;
        entry.Gid = (int)node.Gid;
        if (!node.ModTime.IsZero)
        {
            entry.ModificationTime = node.ModTime.ToDateTimeOffset();
        }

        if (entry is PosixTarEntry posix)
        {
            posix.UserName = node.User ?? string.Empty;
            posix.GroupName = node.Group ?? string.Empty;
        }
    }
}
