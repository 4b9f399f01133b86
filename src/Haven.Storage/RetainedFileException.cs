// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage;

/// <summary>The store refused to delete a file because a retention period (S3 Object Lock) protects it; trying again before that date cannot help.</summary>
public sealed class RetainedFileException(string message, DateTimeOffset? retainedUntil, Exception inner) : StorageException(message, inner, permanent: true)
{
    /// <summary>When the retention ends, when the store said so.</summary>
    public DateTimeOffset? RetainedUntil { get; } = retainedUntil;
}
