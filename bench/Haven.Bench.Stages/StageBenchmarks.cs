// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Haven.Format.Chunking;
using Haven.Format.Compression;
using Haven.Format.Crypto;

namespace Haven.Bench.Stages;

/// <summary>
/// One backup (and restore) stage per benchmark, each over the whole sample in 1 MiB pieces (the
/// average blob) on one thread, so bytes / mean time is MB/s per core.
/// </summary>
public class StageBenchmarks
{
    public const int PieceSize = 1 << 20;

    private readonly Chunker _chunker = new(Polynomial.Parse("3da3358b4dc173"));
    private readonly MasterKey _key = MasterKey.Generate();
    private byte[] _sample = [];
    private byte[] _output = [];
    private byte[][] _compressed = [];
    private byte[][] _sealed = [];

    public static byte[] LoadSample()
    {
        string? path = Environment.GetEnvironmentVariable("HAVEN_STAGES_SAMPLE");
        if (path is not null)
        {
            return File.ReadAllBytes(path);
        }

        // Without a sample: half random, half repeated text, 32 MiB.
        var data = new byte[32 << 20];
        new Random(42).NextBytes(data.AsSpan(0, data.Length / 2));
        byte[] text = "public static int Count(ReadOnlySpan<byte> buffer) { return buffer.Length; }\n"u8.ToArray();
        for (int i = data.Length / 2; i < data.Length; i++)
        {
            data[i] = text[i % text.Length];
        }

        return data;
    }

    public static long SampleLength => LoadSample().Length;

    [GlobalSetup]
    public void Setup()
    {
        _sample = LoadSample();
        _output = new byte[Math.Max(Zstd.CompressBound(PieceSize), PieceSize + MasterKey.Overhead)];
        int pieces = (_sample.Length + PieceSize - 1) / PieceSize;
        _compressed = new byte[pieces][];
        _sealed = new byte[pieces][];
        for (int i = 0; i < pieces; i++)
        {
            _compressed[i] = Zstd.Compress(Piece(i), 3);
            _sealed[i] = _key.Seal(Piece(i));
        }
    }

    [Benchmark(Description = "chunk (Rabin, restic's chunker)")]
    public int Chunk()
    {
        _chunker.Reset();
        int chunks = 0;
        for (int offset = 0; offset < _sample.Length;)
        {
            int length = Math.Min(PieceSize, _sample.Length - offset);
            int cut = _chunker.FindCut(_sample.AsSpan(offset, length));
            chunks += cut >= 0 ? 1 : 0;
            offset += cut >= 0 ? cut : length;
        }

        return chunks;
    }

    [Benchmark(Description = "hash (SHA-256)")]
    public byte Hash()
    {
        Span<byte> digest = stackalloc byte[32];
        byte sum = 0;
        for (int i = 0; i < _compressed.Length; i++)
        {
            SHA256.HashData(Piece(i), digest);
            sum ^= digest[0];
        }

        return sum;
    }

    [Benchmark(Description = "compress (zstd level 3)")]
    public long Compress()
    {
        long total = 0;
        for (int i = 0; i < _compressed.Length; i++)
        {
            total += Zstd.Compress(Piece(i), _output, 3);
        }

        return total;
    }

    [Benchmark(Description = "encrypt (AES-256-CTR + Poly1305-AES)")]
    public long Encrypt()
    {
        long total = 0;
        for (int i = 0; i < _compressed.Length; i++)
        {
            total += _key.Seal(Piece(i), _output);
        }

        return total;
    }

    [Benchmark(Description = "decrypt (Poly1305-AES check + AES-256-CTR)")]
    public long Decrypt()
    {
        long total = 0;
        foreach (byte[] sealedPiece in _sealed)
        {
            total += _key.Open(sealedPiece, _output);
        }

        return total;
    }

    [Benchmark(Description = "decompress (zstd)")]
    public long Decompress()
    {
        long total = 0;
        for (int i = 0; i < _compressed.Length; i++)
        {
            total += Zstd.Decompress(_compressed[i], Piece(i).Length).Length;
        }

        return total;
    }

    private ReadOnlySpan<byte> Piece(int index)
    {
        int offset = index * PieceSize;
        return _sample.AsSpan(offset, Math.Min(PieceSize, _sample.Length - offset));
    }
}
