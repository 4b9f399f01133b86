// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Checking;

/// <summary>What a check found wrong; <see cref="PackNotIndexed"/> is the only kind that is not an error.</summary>
public enum CheckProblemKind
{
    DamagedIndex,
    MissingPack,
    PackSize,
    PackNotIndexed,
    DamagedPack,
    DamagedBlob,
    DamagedSnapshot,
    MissingBlob,
    DamagedTree,
}
