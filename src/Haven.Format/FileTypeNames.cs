// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format;

/// <summary>The folder (and REST path segment) of each file type, as restic names them.</summary>
public static class FileTypeNames
{
    public static string Folder(FileType type) => type switch
    {
        FileType.Config => "config",
        FileType.Key => "keys",
        FileType.Lock => "locks",
        FileType.Snapshot => "snapshots",
        FileType.Index => "index",
        FileType.Pack => "data",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown file type"),
    };

    public static bool TryParseFolder(string folder, out FileType type)
    {
        foreach (FileType t in Enum.GetValues<FileType>())
        {
            if (Folder(t) == folder)
            {
                type = t;
                return true;
            }
        }

        type = default;
        return false;
    }
}
