// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;

namespace Haven.Storage.Rest;

/// <summary>restic's REST protocol: the v2 media type and where each file lives below the base address.</summary>
public static class RestProtocol
{
    /// <summary>Asked for in Accept and answered in Content-Type: listings carry names and sizes.</summary>
    public const string ApiV2MediaType = "application/vnd.x.restic.rest.v2";

    /// <summary>
    /// The relative URL of a file: config at the top, every other type in its folder with no
    /// data/xx level (the server adds that on disk).
    /// </summary>
    public static string PathOf(FileHandle handle) =>
        handle.Type == FileType.Config ? "config" : $"{FileTypeNames.Folder(handle.Type)}/{handle.Name}";

    /// <summary>The relative URL that lists a type: its folder with a trailing slash.</summary>
    public static string ListingPathOf(FileType type) => FileTypeNames.Folder(type) + "/";
}
