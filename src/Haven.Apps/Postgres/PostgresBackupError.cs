// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Postgres;

/// <summary>What went wrong talking to PostgreSQL or its tools; each has a fixed meaning the CLI maps to an exit code.</summary>
public enum PostgresBackupError
{
    /// <summary>The DSN cannot be parsed, or names something Haven cannot use.</summary>
    BadConnectionString,

    /// <summary>No server answered at the DSN's address (wrong host or port, server down).</summary>
    Unreachable,

    /// <summary>The server refused the user or password.</summary>
    AuthenticationFailed,

    /// <summary>The DSN's database does not exist on the server.</summary>
    NoSuchDatabase,

    /// <summary>pg_dump, pg_dumpall, pg_restore, psql or pg_basebackup is not installed.</summary>
    ToolMissing,

    /// <summary>The installed tool's major version is older than the server or the dump needs.</summary>
    ToolTooOld,

    /// <summary>A tool ran and failed; its stderr is in the message.</summary>
    ToolFailed,

    /// <summary>The snapshot holds no dump of the wanted database.</summary>
    DumpNotInSnapshot,

    /// <summary>The dump holds no table of the wanted name.</summary>
    TableNotInSnapshot,

    /// <summary>The table (or an index or sequence it brings) already exists in the live database.</summary>
    TargetExists,

    /// <summary>--data-only was asked for a table the live database does not have.</summary>
    TargetMissing,
}
