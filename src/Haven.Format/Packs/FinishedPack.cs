// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Packs;

/// <summary>A complete pack file: its name (SHA-256 of the content), its bytes and the blobs it holds.</summary>
public sealed record FinishedPack(Id Id, ReadOnlyMemory<byte> Content, IReadOnlyList<PackedBlob> Blobs);
