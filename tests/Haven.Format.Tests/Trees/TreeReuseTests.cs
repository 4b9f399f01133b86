// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Json;
using Haven.Format.Trees;

namespace Haven.Format.Tests.Trees;

/// <summary>
/// Taking a parent's tree ID when a folder's nodes are alike (NodeEncodedEquality) gives exactly the
/// IDs that encoding every tree gives, whatever changed wherever in the hierarchy.
/// </summary>
public sealed class TreeReuseTests
{
    // Nodes as a backup meets them in its parent: read from tree JSON (text that JSON turns lossy
    // is already lossy, so a folder left alone is alike and its ID can be taken).
    private static readonly Gen<Tree> s_readTree = TreeGen.Tree.Select(tree => Tree.Parse(tree.ToJson()));

    private static readonly Gen<Folder> s_folder = FolderGen(depth: 3);

    [Fact]
    public void Any_change_anywhere_gives_the_ids_of_full_encoding_and_no_change_gives_the_parents()
    {
        int reusedInAll = 0;
        Gen.Select(s_folder, Gen.Int, Gen.Int[0, 4]).Sample((parent, seed, changes) =>
        {
            var stored = new Dictionary<Id, byte[]>();
            Id parentRoot = EncodeAll(parent, stored);

            var random = new Random(seed);
            var current = parent.Copy();
            var folders = current.AllFolders();
            var changed = new List<string>();
            for (int i = 0; i < changes; i++)
            {
                changed.Add(Change(folders[random.Next(folders.Count)], random));
            }

            int reused = 0;
            Id expected = EncodeAll(current, new Dictionary<Id, byte[]>());
            Id actual = EncodeReusing(current, parentRoot, stored, ref reused);
            Assert.True(expected == actual, $"changes: {string.Join(", ", changed)}");
            if (changes == 0)
            {
                // Nothing changed: every folder's ID is taken from the parent, none is encoded.
                Assert.Equal(parentRoot, actual);
                Assert.Equal(folders.Count, reused);
            }

            Interlocked.Add(ref reusedInAll, reused);
        });

        // Not vacuous: with changes too, untouched folders' IDs were taken.
        Assert.True(reusedInAll > 20, $"only {reusedInAll} trees were taken from the parent");
    }

    [Fact]
    public void An_offset_change_of_the_same_instant_is_a_change()
    {
        var node = new Node { Name = "a", Type = NodeType.File, ModTime = GoTimestamp.FromUnix(1_700_000_000, 5, 0), Content = [] };
        var shifted = new Node { Name = "a", Type = NodeType.File, ModTime = GoTimestamp.FromUnix(1_700_000_000, 5, 3600), Content = [] };
        Assert.NotEqual(new Tree { Nodes = [node] }.ToJson(), new Tree { Nodes = [shifted] }.ToJson());
        Assert.False(NodeEncodedEquality.Alike(node, shifted));
        Assert.True(NodeEncodedEquality.Alike(node, Tree.Parse(new Tree { Nodes = [node] }.ToJson()).Nodes[0]));
    }

    [Fact]
    public void Null_and_empty_content_are_not_alike()
    {
        var empty = new Node { Name = "a", Type = NodeType.File, Content = [] };
        var none = new Node { Name = "a", Type = NodeType.File, Content = null };
        Assert.False(NodeEncodedEquality.Alike(empty, none));
    }

    /// <summary>Encodes every tree bottom-up, storing each by its ID; returns the root's ID.</summary>
    private static Id EncodeAll(Folder folder, Dictionary<Id, byte[]> stored)
    {
        foreach (var (name, child) in folder.Children)
        {
            folder.Nodes.Single(node => node.Name == name).Subtree = EncodeAll(child, stored);
        }

        byte[] json = new Tree { Nodes = folder.Nodes }.ToJson();
        var id = Id.Hash(json);
        stored[id] = json;
        return id;
    }

    /// <summary>What the archiver does: each folder beside its parent tree (parsed from the stored bytes); the parent's ID when alike.</summary>
    private static Id EncodeReusing(Folder folder, Id? previousId, Dictionary<Id, byte[]> stored, ref int reused)
    {
        Tree? previous = previousId is Id id && stored.TryGetValue(id, out byte[]? bytes) ? Tree.Parse(bytes) : null;
        foreach (var (name, child) in folder.Children)
        {
            var previousChild = previous?.Find(name);
            var node = folder.Nodes.Single(node => node.Name == name);
            node.Subtree = EncodeReusing(child, previousChild is { Type: NodeType.Dir } ? previousChild.Subtree : null, stored, ref reused);
        }

        if (previous is not null && previousId is Id same && NodeEncodedEquality.TreesAlike(folder.Nodes, previous.Nodes))
        {
            reused++;
            return same;
        }

        return Id.Hash(new Tree { Nodes = folder.Nodes }.ToJson());
    }

    /// <summary>Changes one thing in <paramref name="folder"/> (or nothing, for an empty one); says what.</summary>
    private static string Change(Folder folder, Random random)
    {
        if (folder.Nodes.Count == 0)
        {
            folder.Nodes.Add(new Node { Name = "added", Type = NodeType.File, Content = [] });
            return "added a node to an empty folder";
        }

        var node = folder.Nodes[random.Next(folder.Nodes.Count)];
        int what = random.Next(16);
        switch (what)
        {
            case 0: node.Mode ^= 1u << random.Next(32); return "mode";
            case 1: node.ModTime = node.ModTime with { Nanoseconds = (node.ModTime.Nanoseconds + 1) % 1_000_000_000 }; return "mtime";
            case 2: node.AccessTime = node.AccessTime with { OffsetSeconds = node.AccessTime.OffsetSeconds == 0 ? 3600 : 0 }; return "atime offset";
            case 3: node.ChangeTime = node.ChangeTime with { UnixSeconds = node.ChangeTime.UnixSeconds - 1 }; return "ctime";
            case 4: node.Uid++; return "uid";
            case 5: node.User = node.User is null ? "someone" : null; return "user";
            case 6: node.Inode++; return "inode";
            case 7: node.Size++; return "size";
            case 8: node.Links++; return "links";
            case 9: node.LinkTarget = (node.LinkTarget ?? "") + "x"; return "link target";
            case 10: node.ExtendedAttributes = [.. node.ExtendedAttributes ?? [], new ExtendedAttribute("user.new", [1])]; return "xattr";
            case 11: node.Content = node.Content is null ? [] : [.. node.Content, Id.Hash([(byte)random.Next(256)])]; return "content";
            case 12: node.Error = node.Error is null ? "failed" : null; return "error";
            case 13 when !folder.Children.ContainsKey(node.Name):
                folder.Nodes.Remove(node);
                return "removed a node";
            case 14:
                node.DeviceId++;
                return "device id";
            default:
                return "nothing";
        }
    }

    private static Gen<Folder> FolderGen(int depth) => depth == 0
        ? s_readTree.Select(tree => new Folder(tree.Nodes, []))
        : Gen.Select(s_readTree, FolderGen(depth - 1).List[0, 3]).Select((tree, subfolders) =>
        {
            var folder = new Folder(tree.Nodes, []);
            var directories = tree.Nodes.Where(node => node.Type == NodeType.Dir).ToList();
            for (int i = 0; i < Math.Min(directories.Count, subfolders.Count); i++)
            {
                folder.Children[directories[i].Name] = subfolders[i];
            }

            return folder;
        });

    /// <summary>A folder's nodes, and the folders its directory nodes hold (by name; other directories keep their subtree ID).</summary>
    private sealed record Folder(List<Node> Nodes, Dictionary<string, Folder> Children)
    {
        public Folder Copy() => new(
            [.. Nodes.Select(CloneNode)],
            Children.ToDictionary(pair => pair.Key, pair => pair.Value.Copy(), StringComparer.Ordinal));

        public List<Folder> AllFolders() => [this, .. Children.Values.SelectMany(child => child.AllFolders())];

        private static Node CloneNode(Node node) => new()
        {
            Name = node.Name,
            Type = node.Type,
            Mode = node.Mode,
            ModTime = node.ModTime,
            AccessTime = node.AccessTime,
            ChangeTime = node.ChangeTime,
            Uid = node.Uid,
            Gid = node.Gid,
            User = node.User,
            Group = node.Group,
            Inode = node.Inode,
            DeviceId = node.DeviceId,
            Size = node.Size,
            Links = node.Links,
            LinkTarget = node.LinkTarget,
            ExtendedAttributes = node.ExtendedAttributes is null ? null : [.. node.ExtendedAttributes],
            GenericAttributes = node.GenericAttributes is null ? null : new Dictionary<string, byte[]>(node.GenericAttributes, StringComparer.Ordinal),
            Device = node.Device,
            Content = node.Content is null ? null : [.. node.Content],
            Subtree = node.Subtree,
            Error = node.Error,
        };
    }
}
