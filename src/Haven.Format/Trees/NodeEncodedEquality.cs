// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Format.Trees;

/// <summary>
/// Whether two nodes, or two node lists, are encoded to the same tree JSON. Stricter than the
/// encoding where that is cheaper (a null user and an empty one both vanish from the JSON, but
/// count as different here), never looser: alike here means alike byte for byte.
/// </summary>
public static class NodeEncodedEquality
{
    /// <summary>True when <see cref="Tree.ToJson"/> of <paramref name="nodes"/> equals that of <paramref name="previous"/>.</summary>
    public static bool TreesAlike(IReadOnlyList<Node> nodes, IReadOnlyList<Node> previous)
    {
        if (nodes.Count != previous.Count)
        {
            return false;
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            if (!Alike(nodes[i], previous[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every field the tree JSON holds is equal (times with their zone offset, as they are written).</summary>
    public static bool Alike(Node a, Node b) =>
        a.Type == b.Type && a.Mode == b.Mode && a.Size == b.Size && a.Inode == b.Inode
        && a.ModTime == b.ModTime && a.ChangeTime == b.ChangeTime && a.AccessTime == b.AccessTime
        && a.Uid == b.Uid && a.Gid == b.Gid && a.DeviceId == b.DeviceId && a.Links == b.Links && a.Device == b.Device
        && a.Subtree == b.Subtree
        && string.Equals(a.Name, b.Name, StringComparison.Ordinal)
        && string.Equals(a.User, b.User, StringComparison.Ordinal)
        && string.Equals(a.Group, b.Group, StringComparison.Ordinal)
        && string.Equals(a.LinkTarget, b.LinkTarget, StringComparison.Ordinal)
        && string.Equals(a.Error, b.Error, StringComparison.Ordinal)
        && SameContent(a.Content, b.Content)
        && SameExtendedAttributes(a.ExtendedAttributes, b.ExtendedAttributes)
        && SameGenericAttributes(a.GenericAttributes, b.GenericAttributes);

    private static bool SameContent(List<Id>? a, List<Id>? b)
    {
        // null is written as JSON null and an empty list as [], so they differ.
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.Count == b.Count && System.Runtime.InteropServices.CollectionsMarshal.AsSpan(a).SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(b));
    }

    private static bool SameExtendedAttributes(List<ExtendedAttribute>? a, List<ExtendedAttribute>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        // In order: the JSON lists them in the order they are held.
        for (int i = 0; i < a.Count; i++)
        {
            var (left, right) = (a[i], b[i]);
            if (!string.Equals(left.Name, right.Name, StringComparison.Ordinal)
                || (left.Value is null) != (right.Value is null)
                || (left.Value is not null && !left.Value.AsSpan().SequenceEqual(right.Value)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameGenericAttributes(Dictionary<string, byte[]>? a, Dictionary<string, byte[]>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out byte[]? other) || !value.AsSpan().SequenceEqual(other))
            {
                return false;
            }
        }

        return true;
    }
}
