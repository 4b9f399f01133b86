// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage.Retry;

/// <summary>A transient failure that kept happening until <see cref="RetryingBackend"/> gave up; its message says what, where, and the last error.</summary>
public sealed class RetriesExhaustedException(string message, Exception lastError) : StorageException(message, lastError, permanent: true);
