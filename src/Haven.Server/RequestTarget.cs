// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using Haven.Format;

namespace Haven.Server;

/// <summary>
/// What a request path names, as rest-server reads it: a repository ("/", "/a/b/"), its config
/// ("…/config"), a listing ("…/data/") or one file ("…/data/&lt;id&gt;"). The repository part is a
/// relative folder below the server's root.
/// </summary>
internal readonly record struct RequestTarget(string Repository, TargetKind Kind, FileType Type, string Name)
{
    private static readonly SearchValues<char> s_segmentCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>The first folder of the repository path (the user name under --private-repos), or "" for the root repository.</summary>
    public string FirstSegment => Repository.Split('/')[0];

    public static bool TryParse(string path, out RequestTarget target)
    {
        target = default;
        string[] segments = path.TrimStart('/').Split('/');
        string last = segments[^1];
        FileType type = default;
        bool typed = segments.Length >= 2 && FileTypeNames.TryParseFolder(segments[^2], out type) && type != FileType.Config;
        (string[] repository, TargetKind kind, string name) = (last, typed) switch
        {
            ("", true) => (segments[..^2], TargetKind.Listing, string.Empty),
            ("", false) => (segments[..^1], TargetKind.Repository, string.Empty),
            ("config", _) => (segments[..^1], TargetKind.Config, "config"),
            (_, true) => (segments[..^2], TargetKind.File, last),
            _ => (segments, TargetKind.Repository, string.Empty),
        };

        if (!repository.All(IsValidSegment))
        {
            return false;
        }

        target = new RequestTarget(string.Join('/', repository), kind, kind == TargetKind.Config ? FileType.Config : type, name);
        return true;
    }

    // No empty segment, nothing that starts with a dot (so no "..") and nothing outside a plain
    // file-name alphabet: a request can never leave the server's root.
    private static bool IsValidSegment(string segment) =>
        segment.Length > 0 && segment[0] != '.' && !segment.AsSpan().ContainsAnyExcept(s_segmentCharacters);
}
