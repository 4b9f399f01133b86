// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Errors;

/// <summary>A repository already exists where init was asked to create one.</summary>
public sealed class RepositoryExistsException : RepositoryException
{
    public RepositoryExistsException(string message)
        : base(message)
    {
    }

    public RepositoryExistsException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
