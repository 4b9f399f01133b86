// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Archiving;

/// <summary>A stream backed up as one file named <see cref="FileName"/> at the snapshot's root.</summary>
public sealed record StdinSource(Stream Stream, string FileName);
