// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format;

/// <summary>What a blob holds. The numeric values are frozen: they are not the pack header's type bytes.</summary>
public enum BlobType : byte
{
    Data = 0,
    Tree = 1,
}
