// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Format.Json;
using Haven.Format.Trees;
using Haven.Repository;

namespace Haven.Backup.Archiving;

/// <summary>Backs up a stream as one regular file at the root of the snapshot, as 'restic backup --stdin' does.</summary>
internal sealed class StdinArchiver
{
    private readonly IBlobWriter _writer;
    private readonly FileContentSaver _saver;
    private readonly BackupStatus _status;
    private readonly TimeProvider _time;
    private readonly ProcessIdentity _identity;

    public StdinArchiver(IBlobWriter writer, BlobSaverPool savers, Polynomial polynomial, BackupStatus status, TimeProvider time, ProcessIdentity identity)
    {
        _writer = writer;
        _saver = new FileContentSaver(polynomial, savers, status);
        _status = status;
        _time = time;
        _identity = identity;
    }

    public async Task<Id> ArchiveAsync(StdinSource source, CancellationToken cancellationToken)
    {
        _status.StartFile(source.FileName);
        var (content, size) = await _saver.SaveAsync(source.Stream, cancellationToken).ConfigureAwait(false);
        var now = GoTimestamp.FromDateTimeOffset(_time.GetLocalNow());
        var node = new Node
        {
            Name = source.FileName,
            Type = NodeType.File,
            Mode = 0x1A4, // 0644, what restic records for stdin
            ModTime = now,
            AccessTime = now,
            ChangeTime = now,
            Uid = _identity.Uid,
            Gid = _identity.Gid,
            User = _identity.Username,
            Size = (ulong)size,
            Content = content,
        };
        _status.CompleteFile("/" + source.FileName, FileChange.New, size, 0);
        var tree = new Tree();
        tree.Nodes.Add(node);
        byte[] json = tree.ToJson();
        var id = Id.Hash(json);
        await _writer.SaveBlobAsync(BlobType.Tree, id, json, cancellationToken).ConfigureAwait(false);
        return id;
    }
}
