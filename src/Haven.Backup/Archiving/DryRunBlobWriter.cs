// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Repository;

namespace Haven.Backup.Archiving;

/// <summary>Counts what a backup would add without writing anything.</summary>
internal sealed class DryRunBlobWriter : IBlobWriter
{
    private readonly Repository.Repository _repository;
    private readonly HashSet<BlobHandle> _seen = [];
    private readonly Lock _gate = new();

    public DryRunBlobWriter(Repository.Repository repository)
    {
        _repository = repository;
    }

    public bool HasBlob(BlobHandle handle)
    {
        lock (_gate)
        {
            return _repository.HasBlob(handle) || _seen.Contains(handle);
        }
    }

    public Task<byte[]> LoadBlobAsync(BlobHandle handle, CancellationToken cancellationToken) => _repository.LoadBlobAsync(handle, cancellationToken);

    public Task<bool> SaveBlobAsync(BlobType type, Id id, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        var handle = new BlobHandle(id, type);
        lock (_gate)
        {
            return Task.FromResult(!_repository.HasBlob(handle) && _seen.Add(handle));
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
