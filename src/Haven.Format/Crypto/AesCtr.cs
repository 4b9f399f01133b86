// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Haven.Format.Crypto;

/// <summary>
/// AES-CTR as Go's cipher.NewCTR does it: the 16-byte IV is the whole initial counter block,
/// incremented as one 128-bit big-endian integer. .NET has no CTR mode, so this encrypts runs of
/// counter blocks with ECB and XORs the key stream in.
/// </summary>
internal static class AesCtr
{
    public const int BlockSize = 16;

    // 16 KiB of key stream per ECB call: large enough to amortize the call, small enough for the pool.
    private const int ChunkSize = 16 * 1024;

    public static void Transform(Aes aes, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException("the IV is 16 bytes", nameof(iv));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException("the output is shorter than the input", nameof(output));
        }

        ulong high = BinaryPrimitives.ReadUInt64BigEndian(iv);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(ChunkSize, RoundUp(input.Length)));
        try
        {
            int done = 0;
            while (done < input.Length)
            {
                int length = Math.Min(buffer.Length, input.Length - done);
                int blocks = (length + BlockSize - 1) / BlockSize;
                Span<byte> stream = buffer.AsSpan(0, blocks * BlockSize);
                for (int i = 0; i < blocks; i++)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(stream[(i * BlockSize)..], high);
                    BinaryPrimitives.WriteUInt64BigEndian(stream[((i * BlockSize) + 8)..], low);
                    low++;
                    if (low == 0)
                    {
                        high++;
                    }
                }

                aes.EncryptEcb(stream, stream, PaddingMode.None);
                Xor(input.Slice(done, length), stream, output.Slice(done, length));
                done += length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int RoundUp(int length) => Math.Max(BlockSize, (length + BlockSize - 1) / BlockSize * BlockSize);

    private static void Xor(ReadOnlySpan<byte> input, ReadOnlySpan<byte> keyStream, Span<byte> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && input.Length >= Vector<byte>.Count)
        {
            ReadOnlySpan<Vector<byte>> a = MemoryMarshal.Cast<byte, Vector<byte>>(input);
            ReadOnlySpan<Vector<byte>> b = MemoryMarshal.Cast<byte, Vector<byte>>(keyStream);
            Span<Vector<byte>> c = MemoryMarshal.Cast<byte, Vector<byte>>(output);
            for (int v = 0; v < a.Length; v++)
            {
                c[v] = a[v] ^ b[v];
            }

            i = a.Length * Vector<byte>.Count;
        }

        for (; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ keyStream[i]);
        }
    }
}
