// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;

namespace Haven.Backup.Restoring;

/// <summary>Clears the way for a restored non-directory entry: whatever is at its path goes, unless it is a folder.</summary>
internal static class ExistingEntry
{
    public static void Remove(LocalFileSystem fileSystem, string path)
    {
        try
        {
            if (fileSystem.LinkStatus(path).IsDirectory)
            {
                throw new IOException($"{path} exists as a directory, but the snapshot has a file there; restore into an empty folder or remove it");
            }

            fileSystem.Remove(path);
        }
        catch (FileSystemException error) when (error.IsNotFound)
        {
            // Nothing there: the usual case.
        }
    }
}
