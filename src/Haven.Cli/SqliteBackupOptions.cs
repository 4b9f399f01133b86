// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using System.Text;
using Haven.Apps.Sqlite;
using Haven.Backup.Archiving;
using Haven.Backup.Filtering;

namespace Haven.Cli;

/// <summary>
/// backup's SQLite options: --sqlite DB names databases to copy consistently, --no-app-aware stops
/// recognising databases in backed-up folders, --sqlite-timeout bounds the wait for a locked one.
/// </summary>
internal sealed class SqliteBackupOptions
{
    private readonly Option<string[]> _databases = new("--sqlite")
    {
        Description = "Back up an SQLite database as a consistent copy, even while it is written (may be repeated)",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<bool> _noAppAware = new("--no-app-aware")
    {
        Description = "Store SQLite databases found in folders as their bytes on disk, with their -wal, -shm and -journal files",
    };

    private readonly Option<double> _timeout = new("--sqlite-timeout")
    {
        Description = "Seconds to wait for a database another connection holds locked before storing it as it is",
        DefaultValueFactory = _ => 30,
    };

    public void AddTo(Command command)
    {
        command.Add(_databases);
        command.Add(_noAppAware);
        command.Add(_timeout);
    }

    /// <summary>True when databases were named, which is something to back up without any PATH.</summary>
    public bool HasDatabases(ParseResult result) => result.GetValue(_databases) is { Length: > 0 };

    /// <summary>Adds the named databases to the targets and the consistent source to the options; throws <see cref="UsageException"/> for a bad --sqlite.</summary>
    public BackupOptions Apply(ParseResult result, BackupOptions options, CliContext context)
    {
        var databases = (result.GetValue(_databases) ?? []).Select(path => Validate(path, context)).Distinct(StringComparer.Ordinal).ToList();
        bool recognise = !result.GetValue(_noAppAware);
        double seconds = result.GetValue(_timeout);
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            throw new UsageException($"--sqlite-timeout {seconds} must be a number of seconds, 0 or more");
        }

        if (!recognise && databases.Count == 0)
        {
            return options;
        }

        string temporary = TemporaryDirectory();
        var source = new SqliteContentSource(new SqliteSettings
        {
            TemporaryDirectory = temporary,
            RecogniseDatabases = recognise,
            Databases = databases.ToHashSet(StringComparer.Ordinal),
            BusyTimeout = TimeSpan.FromSeconds(seconds),
        });

        // Copies come and go in the temporary folder while the backup runs; when it lies inside a
        // backed-up folder they must not be backed up themselves.
        return options with
        {
            Paths = [.. options.Paths.Concat(databases).Distinct(StringComparer.Ordinal)],
            ConsistentSource = source,
            Excludes = new PathFilter([.. options.Excludes.Patterns, new GlobPattern(EscapeGlob(temporary))]),
        };
    }

    /// <summary>$TMPDIR when set, else $XDG_CACHE_HOME/haven/tmp (~/.cache/haven/tmp): on disk, not in memory as /tmp may be.</summary>
    private static string TemporaryDirectory() =>
        Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp && Path.IsPathRooted(tmp)
            ? Path.Combine(tmp, "haven")
            : Path.Combine(RepositoryLocator.CacheDirectory, "tmp");

    private static string Validate(string given, CliContext context)
    {
        string path = Path.GetFullPath(given);
        Backup.FileSystem.FileStatus status;
        try
        {
            status = context.FileSystem.LinkStatus(path);
        }
        catch (Backup.FileSystem.FileSystemException error) when (error.IsNotFound)
        {
            throw new UsageException($"--sqlite {given}: there is no such file");
        }

        if (status.IsSymlink)
        {
            throw new UsageException($"--sqlite {given}: is a symbolic link; give the database file it points to ({Path.GetFullPath(new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? path)})");
        }

        if (!status.IsRegularFile)
        {
            throw new UsageException($"--sqlite {given}: is not a regular file; give the database file itself");
        }

        byte[] header = new byte[SqliteHeader.Magic.Length];
        int length;
        try
        {
            using var file = context.FileSystem.OpenRead(path);
            length = RandomAccess.Read(file, header, 0);
        }
        catch (IOException error)
        {
            throw new UsageException($"--sqlite {given}: cannot be read ({error.Message})");
        }

        if (!SqliteHeader.IsDatabase(header.AsSpan(0, length)))
        {
            throw new UsageException($"--sqlite {given}: is not an SQLite database (it does not begin with \"SQLite format 3\"); back it up as a PATH instead");
        }

        return path;
    }

    private static string EscapeGlob(string path)
    {
        var escaped = new StringBuilder(path.Length + 8);
        foreach (char c in path)
        {
            if (c is '\\' or '*' or '?' or '[')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
