// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>
/// No consistent copy of a claimed file could be made (it is damaged, encrypted, or locked for too
/// long). The message says why; the archiver stores the file as it is on disk and reports a warning.
/// </summary>
public sealed class ConsistentReadException : Exception
{
    public ConsistentReadException(string message)
        : base(message)
    {
    }

    public ConsistentReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConsistentReadException()
    {
    }
}
