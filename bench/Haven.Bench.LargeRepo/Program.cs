// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Security.Cryptography;
using Haven.Format;
using Haven.Format.Chunking;
using Haven.Format.Json;
using Haven.Format.Snapshots;
using Haven.Format.Trees;
using Haven.Repository;
using Haven.Repository.Snapshots;
using Haven.Repository.Writing;
using Haven.Storage.Local;

// Writes a repository with many small data blobs through Haven's own engines, for bench/large-repo.sh:
//   dotnet run -c Release --project bench/Haven.Bench.LargeRepo -- REPO PASSWORD [SHARED_DIRS UNIQUE_FILES SNAPSHOTS BLOBS_PER_FILE]
// Every snapshot holds SHARED_DIRS folders of 50 files that all snapshots share, plus a folder of
// UNIQUE_FILES files of its own, so forgetting one snapshot leaves its own files' packs unused.
// Each file lists BLOBS_PER_FILE distinct random data blobs of 64 to 512 bytes.
if (args.Length is not (2 or 6))
{
    Console.Error.WriteLine("usage: Haven.Bench.LargeRepo REPO PASSWORD [SHARED_DIRS UNIQUE_FILES SNAPSHOTS BLOBS_PER_FILE]");
    return 2;
}

string path = args[0];
string password = args[1];
int sharedDirs = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 16;
int uniqueFiles = args.Length > 2 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 50;
int snapshots = args.Length > 2 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 4;
int blobsPerFile = args.Length > 2 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 1000;
const int FilesPerDir = 50;

var clock = Stopwatch.StartNew();
var options = new RepositoryOptions { Identity = new ProcessIdentity("bench", Environment.UserName, 1000, 1000, Environment.ProcessId) };
var polynomial = Polynomial.Random(() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8))).Value;
await using var repository = await Repository.InitAsync(new LocalBackend(path), password, options, polynomial, CancellationToken.None);
var writer = new BlobWriter(repository);
var random = new Random(20240501);
var start = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
long blobs = 0;

async Task<Node> WriteFileAsync(string name)
{
    var content = new List<Id>(blobsPerFile);
    ulong size = 0;
    for (int b = 0; b < blobsPerFile; b++)
    {
        byte[] data = new byte[random.Next(64, 513)];
        random.NextBytes(data);
        var id = Id.Hash(data);
        await writer.SaveBlobAsync(BlobType.Data, id, data, CancellationToken.None);
        content.Add(id);
        size += (ulong)data.Length;
        blobs++;
    }

    var time = GoTimestamp.FromDateTimeOffset(start);
    return new Node { Name = name, Type = NodeType.File, Mode = 0x1A4, ModTime = time, AccessTime = time, ChangeTime = time, Uid = 1000, Gid = 1000, Size = size, Links = 1, Content = content };
}

async Task<Id> WriteTreeAsync(List<Node> nodes)
{
    var tree = new Tree { Nodes = nodes };
    tree.Sort();
    byte[] json = tree.ToJson();
    var id = Id.Hash(json);
    await writer.SaveBlobAsync(BlobType.Tree, id, json, CancellationToken.None);
    return id;
}

Node Dir(string name, Id subtree)
{
    var time = GoTimestamp.FromDateTimeOffset(start);
    return new Node { Name = name, Type = NodeType.Dir, Mode = 0x800001ED, ModTime = time, AccessTime = time, ChangeTime = time, Uid = 1000, Gid = 1000, Subtree = subtree };
}

async Task<Node> WriteDirAsync(string name, int files)
{
    var nodes = new List<Node>();
    for (int f = 0; f < files; f++)
    {
        nodes.Add(await WriteFileAsync($"file-{f:D4}.bin"));
    }

    var dir = Dir(name, await WriteTreeAsync(nodes));
    Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {blobs,9} data blobs  {name}");
    return dir;
}

var shared = new List<Node>();
for (int d = 0; d < sharedDirs; d++)
{
    shared.Add(await WriteDirAsync($"shared-{d:D3}", FilesPerDir));
}

var roots = new List<Id>();
for (int s = 0; s < snapshots; s++)
{
    var own = await WriteDirAsync($"own-{s}", uniqueFiles);
    var bench = Dir("bench", await WriteTreeAsync([.. shared, own]));
    roots.Add(await WriteTreeAsync([bench]));
}

await writer.FlushAsync(CancellationToken.None);
for (int s = 0; s < snapshots; s++)
{
    var snapshot = new Snapshot
    {
        Time = GoTimestamp.FromDateTimeOffset(start.AddDays(s)),
        Tree = roots[s],
        Paths = ["/bench"],
        Hostname = "bench",
        Username = Environment.UserName,
        Uid = 1000,
        Gid = 1000,
    };
    var id = await SnapshotCatalog.SaveAsync(repository, snapshot, CancellationToken.None);
    Console.WriteLine($"snapshot {id}");
}

Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {blobs} data blobs, {writer.TreeBlobsAdded} tree blobs, {writer.BytesStored} bytes stored");
return 0;
