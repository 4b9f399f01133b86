// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres;

/// <summary>
/// A PostgreSQL backup or restore could not go on. The message names what is wrong and what to do;
/// it never holds a password. Nothing was written to the live database when this is thrown.
/// </summary>
public sealed class PostgresBackupException : Exception
{
    public PostgresBackupException(PostgresBackupError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    public PostgresBackupError Error { get; }
}
