// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Compression;
using Haven.Format.Crypto;
using Haven.Format.Indexes;
using Haven.Format.Packs;

namespace Haven.Format.Tests.Interop;

public class ResticBackupInteropTests
{
    [Fact]
    public void Haven_decodes_every_file_of_a_restic_backup()
    {
        using var repository = ResticRepository.Init("backup-password");
        string source = Directory.CreateDirectory(Path.Combine(repository.Root, "source")).FullName;
        var random = new Random(1405);
        File.WriteAllBytes(Path.Combine(source, "random.bin"), RandomBytes(random, 700_000));
        File.WriteAllBytes(Path.Combine(source, "zeros.bin"), new byte[1_300_000]);
        File.WriteAllText(Path.Combine(source, "small.txt"), "twelve bytes");
        File.WriteAllBytes(Path.Combine(source, "empty"), []);
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        File.WriteAllBytes(Path.Combine(source, "sub", "more.bin"), RandomBytes(random, 40_000));
        repository.Run("backup", source);
        MasterKey key = repository.OpenMasterKey();

        var indexed = new Dictionary<Id, List<PackedBlob>>();
        foreach (string path in Files(repository, "index"))
        {
            IndexFile index = IndexFile.Parse(UnpackedFile.Decode(key.Open(File.ReadAllBytes(path))));
            foreach (IndexPack pack in index.Packs)
            {
                indexed.Add(pack.PackId, pack.Blobs);
            }
        }

        var trees = new HashSet<Id>();
        foreach (string path in Files(repository, "data"))
        {
            byte[] pack = File.ReadAllBytes(path);
            List<PackedBlob> blobs = PackFile.Parse(key, pack);
            Assert.Equal(Id.Parse(Path.GetFileName(path)), Id.Hash(pack));
            Assert.Equal(blobs.OrderBy(b => b.Offset), indexed[Id.Hash(pack)].OrderBy(b => b.Offset));
            foreach (PackedBlob blob in blobs)
            {
                byte[] plain = BlobCodec.Open(key, pack.AsSpan((int)blob.Offset, (int)blob.Length), blob.UncompressedLength);
                Assert.Equal(blob.Handle.Id, Id.Hash(plain));
                if (blob.Handle.Type == BlobType.Tree)
                {
                    trees.Add(blob.Handle.Id);
                }
            }
        }

        Assert.Equal(indexed.Count, Files(repository, "data").Count);
        Assert.Contains(indexed.Values.SelectMany(b => b), b => b.IsCompressed);
        string snapshotPath = Assert.Single(Files(repository, "snapshots"));
        using var snapshot = JsonDocument.Parse(UnpackedFile.Decode(key.Open(File.ReadAllBytes(snapshotPath))));
        Assert.Contains(Id.Parse(snapshot.RootElement.GetProperty("tree").GetString()!), trees);
    }

    private static List<string> Files(ResticRepository repository, string folder)
    {
        List<string> files = Directory.GetFiles(Path.Combine(repository.Path, folder), "*", SearchOption.AllDirectories).ToList();
        foreach (string file in files)
        {
            Assert.Equal(Path.GetFileName(file), Id.Hash(File.ReadAllBytes(file)).ToString());
        }

        return files;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
