// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Format.Chunking;

namespace Haven.Format.Tests.Chunking;

/// <summary>Cuts the same files as the real restic 0.14 and compares the chunk IDs with its data blobs.</summary>
public sealed class ResticCompatibilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("haven-chunker-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Chunks_hash_to_exactly_the_data_blobs_restic_stores()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        var restic = new ResticProcess(_directory, Path.Combine(_directory, "repo"), "haven-chunker-test");
        await restic.RunAsync(cancellationToken, "init");
        using JsonDocument config = JsonDocument.Parse(await restic.RunAsync(cancellationToken, "cat", "config"));
        Polynomial polynomial = Polynomial.Parse(config.RootElement.GetProperty("chunker_polynomial").GetString()!);

        // Zeros give MinSize chunks under any polynomial. A repeated block whose digests never hit
        // the mask gives a MaxSize chunk; restic picks a random polynomial, so pick the block for it.
        Dictionary<string, byte[]> files = new()
        {
            ["random.bin"] = TestData.Random(3_000_000, 21),
            ["repeating.bin"] = RepeatingFileWithMaxSizeChunk(polynomial),
            ["zeros.bin"] = Concatenate(TestData.Random(1_000_000, 25), new byte[4 * Chunker.MinSize], TestData.Random(300_000, 26)),
        };
        foreach ((string name, byte[] content) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(_directory, name), content, cancellationToken);
        }

        await restic.RunAsync(cancellationToken, ["backup", .. files.Keys]);
        string blobList = await restic.RunAsync(cancellationToken, "list", "blobs");

        HashSet<string> resticData = blobList.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(fields => fields[0] == "data")
            .Select(fields => fields[1])
            .ToHashSet();
        var ours = new HashSet<string>();
        var lengths = new List<int>();
        foreach (byte[] content in files.Values)
        {
            int offset = 0;
            foreach (int length in ChunkBoundaries.ChunkLengths(content, polynomial))
            {
                ours.Add(Id.Hash(content.AsSpan(offset, length)).ToString());
                lengths.Add(length);
                offset += length;
            }
        }

        Assert.Contains(Chunker.MaxSize, lengths);
        Assert.Contains(Chunker.MinSize, lengths);
        Assert.Equal(resticData.Order(), ours.Order());
    }

    private static byte[] RepeatingFileWithMaxSizeChunk(Polynomial polynomial)
    {
        byte[] data = Concatenate(TestData.Random(1024 * 1024, 22), new byte[Chunker.MaxSize], TestData.Random(1_500_000, 24));
        Span<byte> repeated = data.AsSpan(1024 * 1024, Chunker.MaxSize);
        for (ulong seed = 23; ; seed++)
        {
            // Each 4 KiB block has a cut with probability about 4096 / 2^20, so this rarely loops.
            TestData.FillRepeating(repeated, 4096, seed);
            if (ChunkBoundaries.ChunkLengths(data, polynomial).Contains(Chunker.MaxSize))
            {
                return data;
            }
        }
    }

    private static byte[] Concatenate(params byte[][] parts) => [.. parts.SelectMany(part => part)];
}
