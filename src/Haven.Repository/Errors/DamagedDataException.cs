// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Repository.Errors;

/// <summary>Stored data failed its integrity check: a MAC, a hash or a length did not match. The message names the file and blob.</summary>
public sealed class DamagedDataException : RepositoryException
{
    public DamagedDataException(string message)
        : base(message)
    {
    }

    public DamagedDataException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
