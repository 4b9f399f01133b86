// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Globalization;
using Haven.Backup.Archiving;

namespace Haven.Apps.Sqlite;

/// <summary>
/// The folder that holds consistent copies of databases while they are backed up (mode 0700: a copy
/// holds every row). Copies are named after the process that made them, so copies left by a process
/// that died are recognised and removed by the next backup.
/// </summary>
internal sealed class SqliteTemporaryCopies
{
    private const string Prefix = "sqlite-";
    private static readonly string[] s_siblingSuffixes = ["", SqliteCompanions.Wal, SqliteCompanions.SharedMemory, SqliteCompanions.Journal];

    public SqliteTemporaryCopies(string directory)
    {
        DirectoryPath = directory;
    }

    public string DirectoryPath { get; }

    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>A fresh path for a copy; the folder is created when missing and must be private.</summary>
    public string NewPath()
    {
        var folder = Directory.CreateDirectory(DirectoryPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (folder.LinkTarget is not null || (folder.UnixFileMode & OthersAccess) != 0)
        {
            throw new ConsistentReadException($"the temporary folder {DirectoryPath} is a symbolic link or open to other users; make it a folder of mode 0700, or set TMPDIR elsewhere");
        }

        return Path.Combine(DirectoryPath, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}.db");
    }

    /// <summary>Deletes a copy and whatever SQLite kept beside it.</summary>
    public static void Delete(string path)
    {
        foreach (string suffix in s_siblingSuffixes)
        {
            File.Delete(path + suffix);
        }
    }

    /// <summary>Deletes the copies of processes that no longer run (killed in the middle of a copy).</summary>
    public void RemoveStale()
    {
        if (!Directory.Exists(DirectoryPath))
        {
            return;
        }

        try
        {
            RemoveCopiesOfDeadProcesses();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Only tidiness is lost; the next backup tries again.
        }
    }

    private void RemoveCopiesOfDeadProcesses()
    {
        foreach (string path in Directory.EnumerateFiles(DirectoryPath, Prefix + "*"))
        {
            string name = Path.GetFileName(path)[Prefix.Length..];
            int dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                File.Delete(path);
            }
        }
    }
}
