// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Cli;

/// <summary>A restore finished but some entries are missing or wrong; exit code 1.</summary>
public sealed class RestoreFailedException : Exception
{
    public RestoreFailedException(string message)
        : base(message)
    {
    }
}
