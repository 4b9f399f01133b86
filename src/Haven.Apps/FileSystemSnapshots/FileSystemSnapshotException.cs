// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.FileSystemSnapshots;

/// <summary>A filesystem snapshot could not be taken (unsupported volume, a tool that failed); the message says which and what to do.</summary>
public sealed class FileSystemSnapshotException : Exception
{
    public FileSystemSnapshotException(string message)
        : base(message)
    {
    }

    public FileSystemSnapshotException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
