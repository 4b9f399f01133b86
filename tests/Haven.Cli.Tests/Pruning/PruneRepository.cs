// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using System.Text.Json;
using Haven.Testing;

namespace Haven.Cli.Tests.Pruning;

/// <summary>
/// A repository with four snapshots of changing data, two of them removed (their snapshot files
/// deleted, as forget would), so prune has every kind of pack to handle:
/// gen0 (e) is wholly unused; gen1 (a, b, shared) is partly used once b is gone; gen2 (a, c, shared)
/// and gen3 (c, d, shared) remain. Every file is below the chunker's 512 KiB minimum, so a file is
/// one blob whose ID is the SHA-256 of its content. The sources stay on disk to compare restores with.
/// </summary>
public sealed class PruneRepository : IDisposable
{
    private const int FileSize = 400 * 1024;

    private readonly TempDirectory _temp = new("prune");

    public PruneRepository(bool writtenByRestic = false, string? extraTree = null)
    {
        RepositoryPath = _temp.Combine("repo");
        Haven = new HavenCli(RepositoryPath, "pw", _temp.CreateSubdirectory("home"));
        Restic = new Restic(RepositoryPath, "pw");
        if (writtenByRestic)
        {
            Restic.RunChecked("init");
        }
        else
        {
            Haven.RunChecked("init");
        }

        byte[] a = Random(1), b = Random(2), c = Random(3), d = Random(4), e = Random(5), shared = Random(6);
        string gen0 = Generation("gen0", ("e.bin", e));
        string gen1 = Generation("gen1", ("a.bin", a), ("b.bin", b), ("shared.bin", shared));
        string gen2 = Generation("gen2", ("a.bin", a), ("c.bin", c), ("shared.bin", shared));
        string gen3 = Generation("gen3", ("c.bin", c), ("d.bin", d), ("shared.bin", shared));
        Removed = [Backup(writtenByRestic, gen0), Backup(writtenByRestic, gen1)];
        Remaining = [Backup(writtenByRestic, extraTree is null ? [gen2] : [gen2, extraTree]), Backup(writtenByRestic, gen3)];
        RemainingSources = [extraTree is null ? [gen2] : [gen2, extraTree], [gen3]];
        UnusedBlob = Id(b);
        UsedBlobInPartlyUsedPack = Id(a);
        foreach (string snapshot in Removed)
        {
            File.Delete(Path.Combine(RepositoryPath, "snapshots", snapshot));
        }
    }

    public string RepositoryPath { get; }

    public HavenCli Haven { get; }

    public Restic Restic { get; }

    public IReadOnlyList<string> Removed { get; }

    public IReadOnlyList<string> Remaining { get; }

    /// <summary>The source folders of each remaining snapshot, in the order of <see cref="Remaining"/>.</summary>
    public IReadOnlyList<string[]> RemainingSources { get; }

    /// <summary>b.bin: only in the removed gen1, in the same pack as a.bin.</summary>
    public string UnusedBlob { get; }

    /// <summary>a.bin: used by gen2, stored in gen1's pack, which becomes partly used.</summary>
    public string UsedBlobInPartlyUsedPack { get; }

    public string Combine(string relative) => _temp.Combine(relative);

    /// <summary>Every file of the repository but locks, with a hash of its content.</summary>
    public SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(RepositoryPath, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(RepositoryPath, file);
            if (!relative.StartsWith("locks/", StringComparison.Ordinal))
            {
                files[relative] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
            }
        }

        return files;
    }

    /// <summary>The packs in data/ (a temporary file left by a killed writer is not a pack).</summary>
    public HashSet<string> Packs() => Named(Directory.EnumerateFiles(Path.Combine(RepositoryPath, "data"), "*", SearchOption.AllDirectories));

    public HashSet<string> IndexFiles() => Named(Directory.EnumerateFiles(Path.Combine(RepositoryPath, "index")));

    public long DataBytes() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPath, "data"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    /// <summary>Where the index (as restic reads it) puts a blob: pack, offset, length; every copy.</summary>
    public List<(string Pack, string Type, long Offset, long Length)> Locate(string blob)
    {
        var found = new List<(string, string, long, long)>();
        foreach (string index in IndexFiles())
        {
            using var json = JsonDocument.Parse(Restic.RunChecked("cat", "index", index).Stdout);
            foreach (var pack in json.RootElement.GetProperty("packs").EnumerateArray())
            {
                foreach (var entry in pack.GetProperty("blobs").EnumerateArray())
                {
                    if (entry.GetProperty("id").GetString() == blob)
                    {
                        found.Add((pack.GetProperty("id").GetString()!, entry.GetProperty("type").GetString()!, entry.GetProperty("offset").GetInt64(), entry.GetProperty("length").GetInt64()));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Pack ID → the blob types it holds, from every index file.</summary>
    public Dictionary<string, HashSet<string>> PackTypes()
    {
        var types = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string index in IndexFiles())
        {
            using var json = JsonDocument.Parse(Restic.RunChecked("cat", "index", index).Stdout);
            foreach (var pack in json.RootElement.GetProperty("packs").EnumerateArray())
            {
                var set = types.TryGetValue(pack.GetProperty("id").GetString()!, out var known) ? known : types[pack.GetProperty("id").GetString()!] = [];
                foreach (var entry in pack.GetProperty("blobs").EnumerateArray())
                {
                    set.Add(entry.GetProperty("type").GetString()!);
                }
            }
        }

        return types;
    }

    /// <summary>Restores each remaining snapshot with haven and compares it with its sources.</summary>
    public void AssertRemainingRestoreIdentical()
    {
        for (int i = 0; i < Remaining.Count; i++)
        {
            string target = _temp.Combine($"restored-{Guid.NewGuid():N}");
            Haven.RunChecked("restore", Remaining[i][..8], "--target", target);
            foreach (string source in RemainingSources[i])
            {
                FileTree.AssertIdentical(source, Path.Combine(target, source.TrimStart('/')), "--sparse");
            }
        }

        Assert.Equal(Remaining.Order(StringComparer.Ordinal), Directory.EnumerateFiles(Path.Combine(RepositoryPath, "snapshots")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>restic's own full check, including every pack's content.</summary>
    public void AssertResticCheckPasses()
    {
        var check = Restic.Run("check", "--read-data");
        Assert.True(check.ExitCode == 0, $"restic check failed:\n{check.Stdout}\n{check.Stderr}");
        Assert.Contains("no errors were found", check.Stdout, StringComparison.Ordinal);
    }

    public static JsonElement Summary(ProcessResult prune)
    {
        string line = prune.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        using var json = JsonDocument.Parse(line);
        Assert.Equal("summary", json.RootElement.GetProperty("message_type").GetString());
        return json.RootElement.Clone();
    }

    public void Dispose() => _temp.Dispose();

    private static HashSet<string> Named(IEnumerable<string> files) =>
        files.Select(f => Path.GetFileName(f)).Where(name => name.Length == 64 && name.All(char.IsAsciiHexDigitLower)).ToHashSet(StringComparer.Ordinal);

    private static string Id(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static byte[] Random(int seed)
    {
        byte[] bytes = new byte[FileSize];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private string Generation(string name, params (string Name, byte[] Content)[] files)
    {
        string folder = _temp.CreateSubdirectory(name);
        foreach (var (file, content) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, file), content);
        }

        return folder;
    }

    private string Backup(bool withRestic, params string[] paths)
    {
        var before = Directory.EnumerateFiles(Path.Combine(RepositoryPath, "snapshots")).ToHashSet();
        if (withRestic)
        {
            Restic.RunChecked(["backup", .. paths]);
        }
        else
        {
            Haven.RunChecked(["backup", "--quiet", .. paths]);
        }

        return Path.GetFileName(Directory.EnumerateFiles(Path.Combine(RepositoryPath, "snapshots")).Single(f => !before.Contains(f)));
    }
}
