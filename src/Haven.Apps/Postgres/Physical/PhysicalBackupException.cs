// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres.Physical;

/// <summary>A base backup, WAL archive or point-in-time restore cannot go on; the message says what is wrong and what to do.</summary>
public sealed class PhysicalBackupException : Exception
{
    public PhysicalBackupException(string message)
        : base(message)
    {
    }

    public PhysicalBackupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
