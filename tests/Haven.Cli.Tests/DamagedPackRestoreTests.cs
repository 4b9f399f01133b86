// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>A restore that meets a damaged pack fails, names the pack and the file, and writes no wrong byte.</summary>
public sealed class DamagedPackRestoreTests : IDisposable
{
    private readonly InteropRepository _repository = new();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void Restore_stops_the_damaged_file_before_its_damaged_blob_and_restores_the_others()
    {
        string source = _repository.NewPath("source");
        Directory.CreateDirectory(source);
        var random = new Random(7);
        byte[] damaged = new byte[6 * 1024 * 1024];
        random.NextBytes(damaged);
        byte[] intact = new byte[70_000];
        random.NextBytes(intact);
        File.WriteAllBytes(Path.Combine(source, "damaged.bin"), damaged);
        File.WriteAllBytes(Path.Combine(source, "intact.bin"), intact);
        File.WriteAllText(Path.Combine(source, "small.txt"), "small\n");
        _repository.Haven.RunChecked("init");
        _repository.Haven.RunChecked("backup", source);
        var (pack, offset, prefixLength) = DamageLastBlobOf(source, "damaged.bin");

        string target = _repository.NewPath("target");
        var restore = _repository.Haven.Run("restore", "latest", "--target", target);

        Assert.Equal(1, restore.ExitCode);
        string restored = InteropRepository.Restored(target, source);
        Assert.Contains($"{restored}/damaged.bin: pack {pack} is damaged", restore.Stderr, StringComparison.Ordinal);
        Assert.Contains($"pack {pack} is damaged", restore.Stderr, StringComparison.Ordinal);
        Assert.Contains($"at offset {offset}", restore.Stderr, StringComparison.Ordinal);
        // Every blob is checked before it is written, and a file is written front to back: what
        // is on disk is exactly the content up to the damaged blob, never a wrong or zeroed byte.
        Assert.Equal(damaged[..prefixLength], File.ReadAllBytes(Path.Combine(restored, "damaged.bin")));
        Assert.Equal(intact, File.ReadAllBytes(Path.Combine(restored, "intact.bin")));
        Assert.Equal("small\n", File.ReadAllText(Path.Combine(restored, "small.txt")));
        var check = _repository.Restic.Run("check", "--read-data");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains(pack, check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Flips one byte inside the last blob of <paramref name="file"/>'s content and returns the
    /// pack, the blob's offset in it, and how many bytes of the file come before that blob.
    /// </summary>
    private (string Pack, long Offset, int PrefixLength) DamageLastBlobOf(string directory, string file)
    {
        var tree = JsonNode.Parse(_repository.Haven.RunChecked("cat", "tree", $"latest:{directory}").Stdout)!;
        var content = tree["nodes"]!.AsArray().Single(node => (string?)node!["name"] == file)!["content"]!.AsArray()
            .Select(id => (string)id!).ToList();
        var blobs = _repository.Restic.RunChecked("list", "index").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(index => JsonNode.Parse(_repository.Haven.RunChecked("cat", "index", index).Stdout)!["packs"]!.AsArray())
            .SelectMany(pack => pack!["blobs"]!.AsArray().Select(blob => (Pack: (string)pack["id"]!, Blob: blob!)))
            .ToDictionary(entry => (string)entry.Blob["id"]!);
        // An index entry has uncompressed_length only for a compressed blob; otherwise the
        // plaintext is the stored length less nonce and MAC (32 bytes).
        int prefixLength = content[..^1].Sum(id => (int?)blobs[id].Blob["uncompressed_length"] ?? ((int)blobs[id].Blob["length"]! - 32));
        var (pack, last) = blobs[content[^1]];
        long offset = (long)last["offset"]!;

        // Pack files are read-only (0400), as restic writes them.
        string path = Path.Combine(_repository.Path, "data", pack[..2], pack);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = offset + ((long)last["length"]! / 2);
            int b = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(b ^ 0x01));
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        return (pack, offset, prefixLength);
    }
}
