// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Json;
using Haven.Format.Trees;

namespace Haven.Format.Tests.Trees;

/// <summary>CsCheck generators for nodes and sorted trees with arbitrary raw names.</summary>
internal static class TreeGen
{
    private static readonly Gen<string> s_rawName = Gen.Byte.Array[1, 12].Select(bytes => RawName.Decode(bytes));

    private static readonly Gen<GoTimestamp> s_time = Gen.Select(Gen.Long[-62135596800L, 253402214399L], Gen.Int[0, 999_999_999], Gen.Int[-1439, 1439])
        .Select((s, n, m) => GoTimestamp.FromUnix(s, n, m * 60));

    private static readonly Gen<Id> s_id = Gen.Byte.Array[32].Select(bytes => new Id(bytes));

    private static readonly Gen<string?> s_optionalText = Gen.OneOf(Gen.Const((string?)null), Gen.String.AlphaNumeric.Select(s => (string?)s), s_rawName.Select(s => (string?)s));

    public static Gen<Node> Node { get; } =
        from name in s_rawName
        from type in Gen.Enum<NodeType>()
        from mode in Gen.UInt
        from times in Gen.Select(s_time, s_time, s_time)
        from ids in Gen.Select(Gen.UInt, Gen.UInt)
        from names in Gen.Select(s_optionalText, s_optionalText, s_optionalText, s_optionalText)
        from numbers in Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong, Gen.ULong)
        from xattrs in Gen.Select(Gen.String.AlphaNumeric, Gen.Byte.Array[0, 8].Null()).Select((n, v) => new ExtendedAttribute(n, v)).List[0, 2].Null()
        from content in s_id.List[0, 3].Null()
        from subtree in Gen.OneOf(Gen.Const((Id?)null), s_id.Select(id => (Id?)id))
        select new Node
        {
            Name = name,
            Type = type,
            Mode = mode,
            ModTime = times.Item1,
            AccessTime = times.Item2,
            ChangeTime = times.Item3,
            Uid = ids.Item1,
            Gid = ids.Item2,
            User = names.Item1,
            Group = names.Item2,
            LinkTarget = names.Item3,
            Error = names.Item4,
            Inode = numbers.Item1,
            DeviceId = numbers.Item2,
            Size = numbers.Item3,
            Links = numbers.Item4,
            Device = numbers.Item5,
            ExtendedAttributes = xattrs,
            Content = content,
            Subtree = subtree,
        };

    public static Gen<Tree> Tree { get; } = Node.List[0, 6].Select(nodes =>
    {
        var unique = nodes.GroupBy(n => n.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var tree = new Tree { Nodes = unique };
        tree.Sort();
        return tree;
    });
}
