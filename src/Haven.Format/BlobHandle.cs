// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format;

/// <summary>A blob's identity: its plaintext hash and its type. The same bytes as data and as tree are two blobs.</summary>
public readonly record struct BlobHandle(Id Id, BlobType Type)
{
    public override string ToString() => $"{(Type == BlobType.Tree ? "tree" : "data")}/{Id.ToShortString()}";
}
