// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Apps.Sqlite;

/// <summary>How SQLite databases are backed up.</summary>
public sealed record SqliteSettings
{
    /// <summary>Where consistent copies are made before they are stored (on this machine; removed afterwards).</summary>
    public required string TemporaryDirectory { get; init; }

    /// <summary>Every file with the SQLite header found while backing up is copied consistently; when false, only <see cref="Databases"/>.</summary>
    public bool RecogniseDatabases { get; init; } = true;

    /// <summary>Absolute paths of databases named explicitly (--sqlite); they are copied consistently in any case.</summary>
    public IReadOnlySet<string> Databases { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How long to wait for a lock another connection holds before storing the file as it is, with a warning.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
