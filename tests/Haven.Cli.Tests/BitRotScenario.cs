// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using System.Text.Json;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>
/// A repository with one snapshot of small files, each a single blob (below the chunker's minimum),
/// so a data blob's ID is the SHA-256 of one file and damage maps to exactly one file path.
/// </summary>
public sealed class BitRotScenario : IDisposable
{
    private readonly TempDirectory _temp = new("bitrot");

    public BitRotScenario()
    {
        Repository = _temp.Combine("repo");
        Source = _temp.CreateSubdirectory("source");
        Haven = new HavenCli(Repository, "pw", _temp.CreateSubdirectory("home"));
        Restic = new Restic(Repository, "pw");
        var random = new Random(7);
        foreach (string name in new[] { "a.bin", "b.bin", "c.bin", "d.bin", "sub/e.bin", "sub/f.bin", "sub/deeper/g.bin" })
        {
            byte[] content = new byte[2000 + random.Next(3000)];
            random.NextBytes(content);
            string path = Path.Combine(Source, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            FileByBlob[Convert.ToHexStringLower(SHA256.HashData(content))] = name;
        }

        Haven.RunChecked("init");
        Haven.RunChecked("backup", Source);
        using var snapshots = JsonDocument.Parse(Haven.RunChecked("snapshots", "--json").Stdout);
        SnapshotId = snapshots.RootElement[0].GetProperty("id").GetString()!;
    }

    public string Repository { get; }

    public string Source { get; }

    public HavenCli Haven { get; }

    public Restic Restic { get; }

    public string SnapshotId { get; }

    /// <summary>Source path relative to <see cref="Source"/> for each data blob ID.</summary>
    public Dictionary<string, string> FileByBlob { get; } = [];

    public string Affected(string relativePath) => $"{SnapshotId[..8]}:{Source}/{relativePath}";

    public string PackPath(string packId) => Path.Combine(Repository, "data", packId[..2], packId);

    /// <summary>Every indexed pack with its blobs (ID, type, offset), read with restic's 'cat index'.</summary>
    public Dictionary<string, List<(string Id, string Type, long Offset)>> PackContents()
    {
        var packs = new Dictionary<string, List<(string, string, long)>>();
        foreach (string index in Restic.RunChecked("list", "index").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(Restic.RunChecked("cat", "index", index).Stdout);
            foreach (var pack in json.RootElement.GetProperty("packs").EnumerateArray())
            {
                packs[pack.GetProperty("id").GetString()!] = pack.GetProperty("blobs").EnumerateArray()
                    .Select(b => (b.GetProperty("id").GetString()!, b.GetProperty("type").GetString()!, b.GetProperty("offset").GetInt64()))
                    .ToList();
            }
        }

        return packs;
    }

    /// <summary>The pack holding the most data blobs.</summary>
    public (string Pack, List<(string Id, string Type, long Offset)> Blobs) DataPack() =>
        PackContents().Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value.Count(b => b.Type == "data")).First();

    /// <summary>The ID of the tree blob that lists the folder <paramref name="absolutePath"/> in the snapshot, found with restic.</summary>
    public string TreeOf(string absolutePath)
    {
        using var snapshot = JsonDocument.Parse(Restic.RunChecked("cat", "snapshot", SnapshotId).Stdout);
        string tree = snapshot.RootElement.GetProperty("tree").GetString()!;
        foreach (string name in absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            using var listing = JsonDocument.Parse(Restic.RunChecked("cat", "blob", tree).Stdout);
            tree = listing.RootElement.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == name).GetProperty("subtree").GetString()!;
        }

        return tree;
    }

    /// <summary>Makes a stored file writable (the backend writes them 0400) and changes one byte.</summary>
    public static void FlipByte(string path, long offset)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int old = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(old ^ 0x5a));
    }

    /// <summary>Restores the newest snapshot and returns the folder holding the restored source.</summary>
    public string RestoreLatest()
    {
        string target = _temp.CreateSubdirectory("restored-" + Guid.NewGuid().ToString("n")[..8]);
        Haven.RunChecked("restore", "latest", "--target", target);
        return Path.Combine(target, Source.TrimStart('/'));
    }

    /// <summary>Asserts that every file except <paramref name="lost"/> restored byte for byte, and the lost ones restored empty.</summary>
    public void AssertRestoredExcept(string restored, IReadOnlyCollection<string> lost)
    {
        foreach (string name in FileByBlob.Values)
        {
            byte[] actual = File.ReadAllBytes(Path.Combine(restored, name));
            if (lost.Contains(name))
            {
                Assert.Empty(actual);
            }
            else
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(Source, name)), actual);
            }
        }
    }

    public void Dispose() => _temp.Dispose();
}
