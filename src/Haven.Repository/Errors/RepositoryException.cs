// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Errors;

/// <summary>
/// Base of the errors a repository operation reports to its caller. Messages say what failed and
/// what to do next; the CLI maps each subtype to one exit code.
/// </summary>
public class RepositoryException : Exception
{
    public RepositoryException(string message)
        : base(message)
    {
    }

    public RepositoryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
