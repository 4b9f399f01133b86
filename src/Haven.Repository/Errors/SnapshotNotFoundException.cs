// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Errors;

/// <summary>No snapshot matches the given ID prefix or filter.</summary>
public sealed class SnapshotNotFoundException : RepositoryException
{
    public SnapshotNotFoundException(string message)
        : base(message)
    {
    }

    public SnapshotNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
