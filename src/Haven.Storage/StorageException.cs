// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage;

/// <summary>A backend failed. <see cref="IsPermanent"/> says whether trying again can help.</summary>
public class StorageException : IOException
{
    public StorageException(string message, bool permanent = false)
        : base(message)
    {
        IsPermanent = permanent;
    }

    public StorageException(string message, Exception inner, bool permanent = false)
        : base(message, inner)
    {
        IsPermanent = permanent;
    }

    public bool IsPermanent { get; }

    /// <summary>Whether a local write failed because the file system is full (ENOSPC).</summary>
    public static bool IsDiskFull(IOException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return (error.HResult & 0xFFFF) == 28 || error.Message.Contains("No space left", StringComparison.Ordinal);
    }
}
