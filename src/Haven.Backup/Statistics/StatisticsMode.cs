// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Statistics;

/// <summary>restic's stats counting modes.</summary>
public enum StatisticsMode
{
    /// <summary>The size of everything a restore writes; a hardlinked file counts once per snapshot.</summary>
    RestoreSize,

    /// <summary>The size of the files with distinct content.</summary>
    FilesByContents,

    /// <summary>The stored size of the distinct blobs the snapshots use.</summary>
    RawData,

    /// <summary>The plaintext size of the distinct blobs of each file path.</summary>
    BlobsPerFile,
}
