// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format.Trees;

namespace Haven.Backup.Browsing;

/// <summary>restic's Node.Equals: every recorded field alike, times compared as instants.</summary>
internal static class NodeEquality
{
    public static bool Equals(Node a, Node b, bool compareContent) =>
        a.Name == b.Name && a.Type == b.Type && a.Mode == b.Mode
        && SameInstant(a.ModTime, b.ModTime) && SameInstant(a.AccessTime, b.AccessTime) && SameInstant(a.ChangeTime, b.ChangeTime)
        && a.Uid == b.Uid && a.Gid == b.Gid && a.User == b.User && a.Group == b.Group
        && a.Inode == b.Inode && a.DeviceId == b.DeviceId && a.Size == b.Size && a.Links == b.Links
        && a.LinkTarget == b.LinkTarget && a.Device == b.Device && a.Subtree == b.Subtree && a.Error == b.Error
        && (!compareContent || SameContent(a, b))
        && SameAttributes(a, b);

    public static bool SameContent(Node a, Node b) => (a.Content ?? []).SequenceEqual(b.Content ?? []);

    private static bool SameInstant(Format.Json.GoTimestamp a, Format.Json.GoTimestamp b) =>
        a.UnixSeconds == b.UnixSeconds && a.Nanoseconds == b.Nanoseconds;

    private static bool SameAttributes(Node a, Node b)
    {
        var left = a.ExtendedAttributes ?? [];
        var right = b.ExtendedAttributes ?? [];
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var attribute in left)
        {
            if (!right.Any(other => other.Name == attribute.Name && (attribute.Value ?? []).AsSpan().SequenceEqual(other.Value ?? [])))
            {
                return false;
            }
        }

        var generic = a.GenericAttributes ?? [];
        var otherGeneric = b.GenericAttributes ?? [];
        return generic.Count == otherGeneric.Count
            && generic.All(pair => otherGeneric.TryGetValue(pair.Key, out byte[]? value) && value.AsSpan().SequenceEqual(pair.Value));
    }
}
