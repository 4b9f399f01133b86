// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Serialization;

namespace Haven.Cli.Output;

/// <summary>'prune --json' status line while packs are repacked.</summary>
internal sealed record PruneStatusMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("seconds_elapsed")] long SecondsElapsed,
    [property: JsonPropertyName("trees_walked")] long TreesWalked,
    [property: JsonPropertyName("packs_to_repack")] long PacksToRepack,
    [property: JsonPropertyName("packs_repacked")] long PacksRepacked);

/// <summary>'prune --json' closing summary: restic's statistics, sizes in bytes.</summary>
internal sealed record PruneSummaryMessage(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("used_blobs")] long UsedBlobs,
    [property: JsonPropertyName("used_size")] long UsedSize,
    [property: JsonPropertyName("duplicate_blobs")] long DuplicateBlobs,
    [property: JsonPropertyName("duplicate_size")] long DuplicateSize,
    [property: JsonPropertyName("unused_blobs")] long UnusedBlobs,
    [property: JsonPropertyName("unused_size")] long UnusedSize,
    [property: JsonPropertyName("unreferenced_size")] long UnreferencedSize,
    [property: JsonPropertyName("total_blobs")] long TotalBlobs,
    [property: JsonPropertyName("total_size")] long TotalSize,
    [property: JsonPropertyName("repack_blobs")] long RepackBlobs,
    [property: JsonPropertyName("repack_size")] long RepackSize,
    [property: JsonPropertyName("repack_removed_blobs")] long RepackRemovedBlobs,
    [property: JsonPropertyName("repack_removed_size")] long RepackRemovedSize,
    [property: JsonPropertyName("delete_blobs")] long DeleteBlobs,
    [property: JsonPropertyName("delete_size")] long DeleteSize,
    [property: JsonPropertyName("prune_blobs")] long PruneBlobs,
    [property: JsonPropertyName("prune_size")] long PruneSize,
    [property: JsonPropertyName("remaining_blobs")] long RemainingBlobs,
    [property: JsonPropertyName("remaining_size")] long RemainingSize,
    [property: JsonPropertyName("unused_size_after")] long UnusedSizeAfter,
    [property: JsonPropertyName("packs_used")] int PacksUsed,
    [property: JsonPropertyName("packs_partly_used")] int PacksPartlyUsed,
    [property: JsonPropertyName("packs_unused")] int PacksUnused,
    [property: JsonPropertyName("packs_to_keep")] int PacksToKeep,
    [property: JsonPropertyName("packs_to_repack")] int PacksToRepack,
    [property: JsonPropertyName("packs_to_delete")] int PacksToDelete,
    [property: JsonPropertyName("packs_unreferenced")] int PacksUnreferenced,
    [property: JsonPropertyName("packs_written")] int PacksWritten,
    [property: JsonPropertyName("index_files_written")] int IndexFilesWritten,
    [property: JsonPropertyName("index_files_deleted")] int IndexFilesDeleted);
