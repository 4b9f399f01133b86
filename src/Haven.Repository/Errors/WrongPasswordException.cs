// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Errors;

/// <summary>No key file of the repository opens with the given password (exit code 12).</summary>
public sealed class WrongPasswordException : RepositoryException
{
    public WrongPasswordException(string message)
        : base(message)
    {
    }

    public WrongPasswordException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
