// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Json;

namespace Haven.Format.Trees;

/// <summary>
/// One entry of a tree, with restic's fields in restic's JSON order. <see cref="Name"/> and
/// <see cref="LinkTarget"/> are <see cref="RawName"/> strings: non-UTF-8 bytes are lone surrogates.
/// </summary>
public sealed class Node
{
    public string Name { get; set; } = "";

    public NodeType Type { get; set; }

    /// <summary>Go os.FileMode bits (see <see cref="FileModes"/>); omitted from JSON when 0.</summary>
    public uint Mode { get; set; }

    public GoTimestamp ModTime { get; set; } = GoTimestamp.Zero;

    public GoTimestamp AccessTime { get; set; } = GoTimestamp.Zero;

    /// <summary>The inode change time (st_ctime), not the creation time.</summary>
    public GoTimestamp ChangeTime { get; set; } = GoTimestamp.Zero;

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    public string? User { get; set; }

    public string? Group { get; set; }

    public ulong Inode { get; set; }

    /// <summary>st_dev of the file system holding the node.</summary>
    public ulong DeviceId { get; set; }

    public ulong Size { get; set; }

    public ulong Links { get; set; }

    /// <summary>
    /// The symlink target as a RawName string. When its bytes are not UTF-8, JSON gets a lossy
    /// "linktarget" plus "linktarget_raw" (restic 0.16+), and reading prefers the raw form.
    /// </summary>
    public string? LinkTarget { get; set; }

    public List<ExtendedAttribute>? ExtendedAttributes { get; set; }

    /// <summary>restic 0.17+ generic attributes: name → raw JSON value, kept verbatim.</summary>
    public Dictionary<string, byte[]>? GenericAttributes { get; set; }

    /// <summary>st_rdev for dev and chardev nodes.</summary>
    public ulong Device { get; set; }

    /// <summary>Data blob IDs of a file; null is written as JSON null (right for everything but files).</summary>
    public List<Id>? Content { get; set; }

    public Id? Subtree { get; set; }

    public string? Error { get; set; }
}
