// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.Archiving;

namespace Haven.Apps.Sqlite;

/// <summary>
/// Backs up SQLite databases as consistent copies: a file that begins with the SQLite header is
/// copied with the online backup API into a temporary file, which the archiver stores at the
/// database's own path and which is removed as soon as it is open (so it vanishes even if the backup
/// dies); its -wal, -shm and -journal files are left out.
/// <para>
/// Why a temporary file and not a stream: the backup API writes pages into a database connection
/// in any order, so it needs a real file (a copy in memory would cost the database's size in RAM).
/// </para>
/// </summary>
public sealed class SqliteContentSource : IConsistentContentSource
{
    private readonly SqliteSettings _settings;
    private readonly SqliteCopier _copier;
    private readonly SqliteTemporaryCopies _copies;

    public SqliteContentSource(SqliteSettings settings)
    {
        _settings = settings;
        _copier = new SqliteCopier(settings.BusyTimeout, settings.Time);
        _copies = new SqliteTemporaryCopies(settings.TemporaryDirectory);
        _copies.RemoveStale();
    }

    public int HeaderLength => SqliteHeader.Magic.Length;

    public bool Claims(string path, ReadOnlySpan<byte> header) =>
        SqliteHeader.IsDatabase(header) && (_settings.RecogniseDatabases || _settings.Databases.Contains(path));

    public IReadOnlyList<string> CompanionNames(string name) => SqliteCompanions.NamesFor(name);

    public string? CompanionOf(string name) => SqliteCompanions.DatabaseOf(name);

    public async Task<ConsistentContent> OpenAsync(string accessPath, CancellationToken cancellationToken)
    {
        string copy = _copies.NewPath();
        try
        {
            await _copier.CopyAsync(accessPath, copy, cancellationToken).ConfigureAwait(false);
            if (new FileInfo(copy + SqliteCompanions.Wal) is { Exists: true, Length: > 0 })
            {
                throw new ConsistentReadException("its copy still had pages in a -wal file after the checkpoint");
            }

            var content = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return new ConsistentContent(content);
        }
        catch (IOException error)
        {
            throw new ConsistentReadException($"it could not be copied by way of {_copies.DirectoryPath} ({error.Message})", error);
        }
        catch (UnauthorizedAccessException error)
        {
            throw new ConsistentReadException($"it could not be copied by way of {_copies.DirectoryPath} ({error.Message})", error);
        }
        finally
        {
            // Unlinked while open: the data stays readable through the stream and is freed when it closes.
            SqliteTemporaryCopies.Delete(copy);
        }
    }
}
