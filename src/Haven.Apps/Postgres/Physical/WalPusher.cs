// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Format.Json;
using Haven.Format.Trees;
using Haven.Repository.Locking;
using Haven.Repository.Snapshots;
using Haven.Repository.Writing;

namespace Haven.Apps.Postgres.Physical;

/// <summary>
/// archive_command: stores one file from pg_wal in the cluster's WAL archive. Returns only once
/// the content (packs), the index naming it and the head snapshot that makes it findable are
/// written durably; any failure throws, so PostgreSQL keeps the file and tries again. Pushing the
/// same content again succeeds without writing; different content under an archived name is refused,
/// as PostgreSQL's documentation requires of an archive_command.
/// </summary>
public sealed class WalPusher
{
    private readonly Repository.Repository _repository;
    private readonly string _programVersion;

    public WalPusher(Repository.Repository repository, string programVersion)
    {
        _repository = repository;
        _programVersion = programVersion;
    }

    /// <param name="path">%p: the file, relative to the data directory archive_command runs in.</param>
    /// <param name="dataDirectory">Where global/pg_control is read for .history and .backup files.</param>
    public async Task<WalPushResult> PushAsync(string path, string dataDirectory, CancellationToken cancellationToken)
    {
        var time = _repository.Options.Time;
        long started = time.GetTimestamp();
        var name = WalFileName.Parse(Path.GetFileName(path));
        byte[] content = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        var writtenAt = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        ulong systemId = name.Kind is WalFileKind.Segment or WalFileKind.Partial
            ? WalFileHeader.ReadSegment(content, path).SystemId
            : WalFileHeader.ReadControlFile(dataDirectory);
        var chunks = Chunk(content);

        await using var repositoryLock = await RepositoryLock.AcquireAsync(_repository, exclusive: false, cancellationToken).ConfigureAwait(false);
        await _repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var archive = await WalArchive.OpenAsync(_repository, systemId, cancellationToken).ConfigureAwait(false);
        if (await archive.FindAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            if (existing.Size != content.Length || !existing.Content.SequenceEqual(chunks.Select(chunk => chunk.Id)))
            {
                throw new PhysicalBackupException(
                    $"{name.Name} is archived already for cluster {systemId} with different content ({existing.Size} bytes archived at {existing.ArchivedAt:u}, {content.Length} bytes now); "
                    + "refusing to replace it. Two clusters with the same system identifier archive into this repository, or the file is damaged: archive this cluster into another repository");
            }

            return new WalPushResult(name.Name, systemId, content.Length, 0, AlreadyArchived: true, null, time.GetElapsedTime(started).TotalSeconds);
        }

        var writer = new BlobWriter(_repository);
        foreach (var (id, offset, length) in chunks)
        {
            await writer.SaveBlobAsync(BlobType.Data, id, content.AsMemory(offset, length), cancellationToken).ConfigureAwait(false);
        }

        var identity = _repository.Options.Identity;
        var now = time.GetLocalNow();
        var node = FileNode(name.Name, content.Length, chunks.Select(chunk => chunk.Id).ToList(), writtenAt, now, identity);
        var tree = await archive.WriteMergedTreeAsync(writer, node, name.Folder, identity, now, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        var snapshotId = await SnapshotCatalog.SaveAsync(_repository, archive.HeadSnapshot(tree, identity, now, _programVersion), cancellationToken).ConfigureAwait(false);
        return new WalPushResult(name.Name, systemId, content.Length, writer.BytesStored, AlreadyArchived: false, snapshotId.ToString(), time.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new PhysicalBackupException($"cannot read {path} ({error.Message}); archive_command passes %p, relative to the data directory it runs in", error);
        }
    }

    private List<(Id Id, int Offset, int Length)> Chunk(byte[] content)
    {
        var chunker = new Chunker(new Polynomial(_repository.Config.ChunkerPolynomial));
        var chunks = new List<(Id, int, int)>();
        int start = 0;
        int scanFrom = 0;
        while (scanFrom < content.Length)
        {
            int cut = chunker.FindCut(content.AsSpan(scanFrom));
            if (cut < 0)
            {
                break;
            }

            int end = scanFrom + cut;
            chunks.Add((Id.Hash(content.AsSpan(start, end - start)), start, end - start));
            start = end;
            scanFrom = end;
        }

        if (start < content.Length)
        {
            chunks.Add((Id.Hash(content.AsSpan(start)), start, content.Length - start));
        }

        return chunks;
    }

    /// <summary>mtime is when PostgreSQL last wrote the file; ctime records when it was archived (what 'pg status' ages).</summary>
    private static Node FileNode(string name, long size, List<Id> content, DateTimeOffset writtenAt, DateTimeOffset archivedAt, Repository.ProcessIdentity identity) => new()
    {
        Name = name,
        Type = NodeType.File,
        Mode = 0x180,
        ModTime = GoTimestamp.FromDateTimeOffset(writtenAt),
        AccessTime = GoTimestamp.FromDateTimeOffset(writtenAt),
        ChangeTime = GoTimestamp.FromDateTimeOffset(archivedAt),
        Uid = identity.Uid,
        Gid = identity.Gid,
        User = identity.Username,
        Size = (ulong)size,
        Links = 1,
        Content = content,
    };
}
