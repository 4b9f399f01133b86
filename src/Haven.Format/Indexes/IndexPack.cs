// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Packs;

namespace Haven.Format.Indexes;

/// <summary>One pack's entry in an index file: every blob it holds, with the header's offsets and lengths.</summary>
public sealed record IndexPack(Id PackId, List<PackedBlob> Blobs);
