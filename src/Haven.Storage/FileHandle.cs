// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Storage;

/// <summary>A repository file: its type and its name (an ID in hex, or "config").</summary>
public readonly record struct FileHandle(FileType Type, string Name)
{
    public static FileHandle Config { get; } = new(FileType.Config, "config");

    public static FileHandle For(FileType type, Id id) => new(type, id.ToString());

    public override string ToString() => Type == FileType.Config ? "config" : $"{FileTypeNames.Folder(Type)}/{Name}";
}
