// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Trees;

/// <summary>The JSON spelling of each <see cref="NodeType"/>.</summary>
internal static class NodeTypeNames
{
    public static string ToJsonName(NodeType type) => type switch
    {
        NodeType.File => "file",
        NodeType.Dir => "dir",
        NodeType.Symlink => "symlink",
        NodeType.Dev => "dev",
        NodeType.CharDev => "chardev",
        NodeType.Fifo => "fifo",
        NodeType.Socket => "socket",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a node type restic can read"),
    };

    /// <exception cref="InvalidDataException">The name is not one of restic's node types.</exception>
    public static NodeType Parse(string? name) => name switch
    {
        "file" => NodeType.File,
        "dir" => NodeType.Dir,
        "symlink" => NodeType.Symlink,
        "dev" => NodeType.Dev,
        "chardev" => NodeType.CharDev,
        "fifo" => NodeType.Fifo,
        "socket" => NodeType.Socket,
        _ => throw new InvalidDataException($"unknown node type \"{name}\" in tree"),
    };
}
