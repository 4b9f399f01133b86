// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli;

/// <summary>The command line asks for something that cannot be done as written; the message says what to change.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
