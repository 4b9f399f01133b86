// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format.Json;
using Haven.Format.Trees;

namespace Haven.Backup.Archiving;

/// <summary>Turns what lstat and friends say about a file into a tree node, the way restic 0.14 fills one.</summary>
internal sealed class NodeFactory
{
    private readonly LocalFileSystem _fileSystem;
    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyDictionary<ulong, ulong> _deviceAliases;
    private readonly int? _fixedOffset;

    public NodeFactory(LocalFileSystem fileSystem, TimeZoneInfo zone, IReadOnlyDictionary<ulong, ulong>? deviceAliases = null)
    {
        _fileSystem = fileSystem;
        _zone = zone;
        _deviceAliases = deviceAliases ?? new Dictionary<ulong, ulong>();

        // A zone without rules (UTC on most servers) has one offset: no look-up per timestamp.
        _fixedOffset = zone.GetAdjustmentRules().Length == 0 ? (int)zone.BaseUtcOffset.TotalSeconds : null;
    }

    public Node Create(string name, string path, FileStatus status)
    {
        var node = new Node
        {
            Name = name,
            Type = TypeOf(status),
            Mode = FileModes.GoModeFromPosix(status.Mode),
            ModTime = Timestamp(status.ModifySeconds, status.ModifyNanoseconds),
            AccessTime = Timestamp(status.AccessSeconds, status.AccessNanoseconds),
            ChangeTime = Timestamp(status.ChangeSeconds, status.ChangeNanoseconds),
            Uid = status.Uid,
            Gid = status.Gid,
            User = _fileSystem.UserName(status.Uid),
            Group = _fileSystem.GroupName(status.Gid),
            Inode = status.Inode,
            DeviceId = _deviceAliases.GetValueOrDefault(status.Device, status.Device),
        };

        switch (node.Type)
        {
            case NodeType.File:
                node.Size = (ulong)status.Size;
                node.Links = status.Links;
                node.Content = [];
                break;
            case NodeType.Symlink:
                node.LinkTarget = _fileSystem.ReadLink(path);
                node.Links = status.Links;
                break;
            case NodeType.Dev:
            case NodeType.CharDev:
                node.Device = status.RDevice;
                node.Links = status.Links;
                break;
        }

        var attributes = _fileSystem.ReadExtendedAttributes(path);
        if (attributes.Count > 0)
        {
            node.ExtendedAttributes = attributes.Select(a => new ExtendedAttribute(a.Name, a.Value)).ToList();
        }

        return node;
    }

    public static NodeType TypeOf(FileStatus status) => status switch
    {
        { IsRegularFile: true } => NodeType.File,
        { IsDirectory: true } => NodeType.Dir,
        { IsSymlink: true } => NodeType.Symlink,
        { IsCharDevice: true } => NodeType.CharDev,
        { IsBlockDevice: true } => NodeType.Dev,
        { IsFifo: true } => NodeType.Fifo,
        { IsSocket: true } => NodeType.Socket,
        _ => throw new InvalidDataException($"unknown file type in mode {status.Mode:o}"),
    };

    private GoTimestamp Timestamp(long seconds, int nanoseconds)
    {
        if (_fixedOffset is int fixedOffset)
        {
            return GoTimestamp.FromUnix(seconds, nanoseconds, fixedOffset);
        }

        int offset = (int)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L))).TotalSeconds;
        return GoTimestamp.FromUnix(seconds, nanoseconds, offset);
    }
}
