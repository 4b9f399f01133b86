// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Format.Diagnostics;
using Haven.Format.Indexes;
using Haven.Format.Packs;

namespace Haven.Repository.Writing;

/// <summary>
/// Gathers stored packs into index files. A file is written when it holds enough blobs or has been
/// open long enough, so a long backup that is killed leaves most of its uploaded data indexed and
/// the next run does not upload it again.
/// </summary>
internal sealed class IndexWriter
{
    // restic 0.14 flushes v2 indexes at 150,000 blobs or after 10 minutes; Haven writes smaller,
    // more frequent files so less work is lost when a backup is killed.
    private const int MaxBlobsPerFile = 50_000;
    private static readonly TimeSpan s_maxAge = TimeSpan.FromMinutes(5);

    private readonly Repository _repository;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IndexFile _current = new();
    private int _blobs;
    private long _openedAt;

    public IndexWriter(Repository repository)
    {
        _repository = repository;
        _openedAt = repository.Options.Time.GetTimestamp();
    }

    public async Task AddAsync(Id packId, IReadOnlyList<PackedBlob> blobs, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_blobs == 0)
            {
                _openedAt = _repository.Options.Time.GetTimestamp();
            }

            _current.Packs.Add(new IndexPack(packId, [.. blobs]));
            _blobs += blobs.Count;
            if (_blobs >= MaxBlobsPerFile || _repository.Options.Time.GetElapsedTime(_openedAt) > s_maxAge)
            {
                await WriteCurrentAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_blobs > 0)
            {
                await WriteCurrentAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteCurrentAsync(CancellationToken cancellationToken)
    {
        await _repository.SaveUnpackedAsync(FileType.Index, _current.ToJson(), cancellationToken).ConfigureAwait(false);
        StopPoint.Reach(StopPoint.IndexStored);
        _current = new IndexFile();
        _blobs = 0;
    }
}
