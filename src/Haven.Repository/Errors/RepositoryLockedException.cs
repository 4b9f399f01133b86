// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Errors;

/// <summary>Another process holds a lock that conflicts with the one asked for (exit code 11).</summary>
public sealed class RepositoryLockedException : RepositoryException
{
    public RepositoryLockedException(string message)
        : base(message)
    {
    }

    public RepositoryLockedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
