// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Errors;

/// <summary>There is no repository at the given location (exit code 10).</summary>
public sealed class RepositoryNotFoundException : RepositoryException
{
    public RepositoryNotFoundException(string message)
        : base(message)
    {
    }

    public RepositoryNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
