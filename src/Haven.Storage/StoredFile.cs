// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Storage;

/// <summary>One entry of a listing: the file's name and its size in bytes.</summary>
public readonly record struct StoredFile(string Name, long Size);
