// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Trees;

/// <summary>
/// The kinds of node restic knows. Stored as the JSON strings file, dir, symlink, dev, chardev,
/// fifo and socket. "irregular" (written by restic 0.17.1 by mistake) fails every restic's check,
/// so it has no member here.
/// </summary>
public enum NodeType
{
    File,
    Dir,
    Symlink,
    Dev,
    CharDev,
    Fifo,
    Socket,
}
