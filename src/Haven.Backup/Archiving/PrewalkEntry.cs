// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Backup.FileSystem;
using Haven.Format.Trees;

namespace Haven.Backup.Archiving;

/// <summary>What <see cref="SourcePrewalk"/> read about one path: its status, its node, and for a folder its entries (excludes removed, in tree order).</summary>
internal sealed record PrewalkEntry(FileStatus Status, Node Node, List<string>? Names);
