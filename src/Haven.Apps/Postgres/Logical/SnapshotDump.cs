// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Text.Json;
using Haven.Backup.Browsing;
using Haven.Format;
using Haven.Format.Trees;
using Haven.Repository.Errors;

namespace Haven.Apps.Postgres.Logical;

/// <summary>
/// A database's dump inside a snapshot, found through the manifest a logical backup stored. Its
/// content is read from the repository's blobs and piped into pg_restore's stdin: the custom
/// format is read front to back, so no temporary copy is needed.
/// </summary>
internal sealed class SnapshotDump
{
    private readonly Repository.Repository _repository;
    private readonly Node _node;

    private SnapshotDump(Repository.Repository repository, DumpManifest manifest, DumpedDatabase database, Node node)
    {
        _repository = repository;
        Manifest = manifest;
        Database = database;
        _node = node;
    }

    public DumpManifest Manifest { get; }

    public DumpedDatabase Database { get; }

    public long Size => (long)_node.Size;

    /// <summary>The dump of <paramref name="database"/>, or of the only database dumped when the snapshot holds one dump.</summary>
    public static async Task<SnapshotDump> FindAsync(Repository.Repository repository, Id root, string database, bool named, CancellationToken cancellationToken)
    {
        var browser = new SnapshotBrowser(repository);
        DumpManifest manifest;
        try
        {
            var manifestNode = await browser.FindAsync(root, DumpManifest.SnapshotPath, cancellationToken).ConfigureAwait(false);
            await using var content = new FileContentStream(repository, manifestNode?.Content ?? []);
            manifest = await JsonSerializer.DeserializeAsync(content, DumpManifestJson.Default.DumpManifest, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("empty manifest");
        }
        catch (SnapshotNotFoundException)
        {
            throw new PostgresBackupException(PostgresBackupError.DumpNotInSnapshot,
                $"the snapshot holds no PostgreSQL dump ({DumpManifest.SnapshotPath} is missing): choose a snapshot made with 'haven backup --postgres DSN'");
        }

        var chosen = manifest.Databases.FirstOrDefault(d => d.Name == database)
            ?? (!named && manifest.Databases.Count == 1 ? manifest.Databases[0] : null)
            ?? throw new PostgresBackupException(PostgresBackupError.DumpNotInSnapshot,
                $"the snapshot holds no dump of database '{database}'; it has {string.Join(", ", manifest.Databases.Select(d => d.Name))}: give --from-database NAME");
        var node = await browser.FindAsync(root, chosen.Path, cancellationToken).ConfigureAwait(false);
        return node is { Type: NodeType.File }
            ? new SnapshotDump(repository, manifest, chosen, node)
            : throw new PostgresBackupException(PostgresBackupError.DumpNotInSnapshot, $"{chosen.Path} in the snapshot is not a file");
    }

    /// <summary>
    /// Writes the dump into <paramref name="stdin"/> and closes it. A reader that stops early
    /// (pg_restore -l needs only the table of contents at the front) closes the pipe; that ends the
    /// feeding quietly, and the program's exit code says whether it got what it needed.
    /// </summary>
    public async Task FeedAsync(Stream stdin, TableRestoreStatus status, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            await using var content = new FileContentStream(_repository, _node.Content ?? []);
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stdin.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                status.AddRead(read);
            }

            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The reader closed its end (EPIPE): it has read all it wants.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Flushing into a closed pipe on dispose: same as above.
            }
        }
    }
}
