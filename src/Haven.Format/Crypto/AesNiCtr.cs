// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AesNi = System.Runtime.Intrinsics.X86.Aes;

namespace Haven.Format.Crypto;

/// <summary>
/// AES-256-CTR with the counter as Go's cipher.NewCTR keeps it (the IV is the first counter block, incremented as
/// one 128-bit big-endian integer), on AES-NI. Eight blocks go through the rounds together to fill the AES units'
/// pipelines, and the key stream is XORed into the data as it is made: one pass, no key-stream buffer, and the
/// input may be the output. The round keys are read-only, so one instance serves any number of threads.
/// </summary>
internal sealed class AesNiCtr
{
    private const int Rounds = 14;

    private const int BlocksPerStep = 8;

    private readonly RoundKeys _keys;

    public AesNiCtr(ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("AES-256 takes a 32-byte key", nameof(key));
        }

        _keys = Expand(key);
    }

    public static bool IsSupported => AesNi.IsSupported && Ssse3.IsSupported;

    public void Transform(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (iv.Length != AesCtr.BlockSize)
        {
            throw new ArgumentException("the IV is 16 bytes", nameof(iv));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException("the output is shorter than the input", nameof(output));
        }

        ulong high = BinaryPrimitives.ReadUInt64BigEndian(iv);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        ref readonly RoundKeys k = ref _keys;
        ref byte source = ref MemoryMarshal.GetReference(input);
        ref byte target = ref MemoryMarshal.GetReference(output);
        int offset = 0;
        const int StepBytes = BlocksPerStep * AesCtr.BlockSize;
        for (; offset + StepBytes <= input.Length; offset += StepBytes)
        {
            Vector128<byte> b0, b1, b2, b3, b4, b5, b6, b7;
            if (low <= ulong.MaxValue - BlocksPerStep)
            {
                Vector128<ulong> counter = Vector128.Create(low, high);
                b0 = Counter(counter);
                b1 = Counter(counter + Vector128.CreateScalar(1UL));
                b2 = Counter(counter + Vector128.CreateScalar(2UL));
                b3 = Counter(counter + Vector128.CreateScalar(3UL));
                b4 = Counter(counter + Vector128.CreateScalar(4UL));
                b5 = Counter(counter + Vector128.CreateScalar(5UL));
                b6 = Counter(counter + Vector128.CreateScalar(6UL));
                b7 = Counter(counter + Vector128.CreateScalar(7UL));
                low += BlocksPerStep;
            }
            else
            {
                b0 = Next(ref low, ref high);
                b1 = Next(ref low, ref high);
                b2 = Next(ref low, ref high);
                b3 = Next(ref low, ref high);
                b4 = Next(ref low, ref high);
                b5 = Next(ref low, ref high);
                b6 = Next(ref low, ref high);
                b7 = Next(ref low, ref high);
            }

            Vector128<byte> key = k[0];
            b0 ^= key;
            b1 ^= key;
            b2 ^= key;
            b3 ^= key;
            b4 ^= key;
            b5 ^= key;
            b6 ^= key;
            b7 ^= key;
            for (int round = 1; round < Rounds; round++)
            {
                key = k[round];
                b0 = AesNi.Encrypt(b0, key);
                b1 = AesNi.Encrypt(b1, key);
                b2 = AesNi.Encrypt(b2, key);
                b3 = AesNi.Encrypt(b3, key);
                b4 = AesNi.Encrypt(b4, key);
                b5 = AesNi.Encrypt(b5, key);
                b6 = AesNi.Encrypt(b6, key);
                b7 = AesNi.Encrypt(b7, key);
            }

            key = k[Rounds];
            ref byte from = ref Unsafe.Add(ref source, offset);
            ref byte to = ref Unsafe.Add(ref target, offset);
            Store(AesNi.EncryptLast(b0, key), ref from, ref to, 0);
            Store(AesNi.EncryptLast(b1, key), ref from, ref to, 1);
            Store(AesNi.EncryptLast(b2, key), ref from, ref to, 2);
            Store(AesNi.EncryptLast(b3, key), ref from, ref to, 3);
            Store(AesNi.EncryptLast(b4, key), ref from, ref to, 4);
            Store(AesNi.EncryptLast(b5, key), ref from, ref to, 5);
            Store(AesNi.EncryptLast(b6, key), ref from, ref to, 6);
            Store(AesNi.EncryptLast(b7, key), ref from, ref to, 7);
        }

        for (; offset + AesCtr.BlockSize <= input.Length; offset += AesCtr.BlockSize)
        {
            Store(EncryptBlock(in k, Next(ref low, ref high)), ref Unsafe.Add(ref source, offset), ref Unsafe.Add(ref target, offset), 0);
        }

        if (offset < input.Length)
        {
            Span<byte> last = stackalloc byte[AesCtr.BlockSize];
            EncryptBlock(in k, Next(ref low, ref high)).CopyTo(last);
            for (int i = offset; i < input.Length; i++)
            {
                output[i] = (byte)(input[i] ^ last[i - offset]);
            }

            last.Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<byte> stream, ref byte from, ref byte to, int block)
    {
        nuint at = (nuint)(block * AesCtr.BlockSize);
        (Vector128.LoadUnsafe(ref from, at) ^ stream).StoreUnsafe(ref to, at);
    }

    /// <summary>The counter block for (high, low): both halves big-endian, which is the whole 16 bytes reversed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Counter(Vector128<ulong> lowHigh) =>
        Vector128.Shuffle(lowHigh.AsByte(), Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));

    private static Vector128<byte> Next(ref ulong low, ref ulong high)
    {
        Vector128<byte> block = Counter(Vector128.Create(low, high));
        low++;
        if (low == 0)
        {
            high++;
        }

        return block;
    }

    private static Vector128<byte> EncryptBlock(in RoundKeys k, Vector128<byte> block)
    {
        block ^= k[0];
        for (int round = 1; round < Rounds; round++)
        {
            block = AesNi.Encrypt(block, k[round]);
        }

        return AesNi.EncryptLast(block, k[Rounds]);
    }

    /// <summary>The AES-256 key schedule, as in Intel's AES-NI white paper (Gueron, 2010, figure 26).</summary>
    private static RoundKeys Expand(ReadOnlySpan<byte> key)
    {
        var keys = default(RoundKeys);
        Vector128<byte> even = Vector128.Create(key[..16]);
        Vector128<byte> odd = Vector128.Create(key[16..]);
        keys[0] = even;
        keys[1] = odd;

        // KeygenAssist takes its round constant as an immediate, hence one line per pair of round keys.
        keys[2] = even = ExpandEven(even, AesNi.KeygenAssist(odd, 0x01));
        keys[3] = odd = ExpandOdd(odd, even);
        keys[4] = even = ExpandEven(even, AesNi.KeygenAssist(odd, 0x02));
        keys[5] = odd = ExpandOdd(odd, even);
        keys[6] = even = ExpandEven(even, AesNi.KeygenAssist(odd, 0x04));
        keys[7] = odd = ExpandOdd(odd, even);
        keys[8] = even = ExpandEven(even, AesNi.KeygenAssist(odd, 0x08));
        keys[9] = odd = ExpandOdd(odd, even);
        keys[10] = even = ExpandEven(even, AesNi.KeygenAssist(odd, 0x10));
        keys[11] = odd = ExpandOdd(odd, even);
        keys[12] = even = ExpandEven(even, AesNi.KeygenAssist(odd, 0x20));
        keys[13] = odd = ExpandOdd(odd, even);
        keys[14] = ExpandEven(even, AesNi.KeygenAssist(odd, 0x40));
        return keys;
    }

    private static Vector128<byte> ExpandEven(Vector128<byte> previous, Vector128<byte> assist)
    {
        Vector128<uint> word = Vector128.Shuffle(assist.AsUInt32(), Vector128.Create(3u, 3, 3, 3));
        return (ShiftXor(previous).AsUInt32() ^ word).AsByte();
    }

    private static Vector128<byte> ExpandOdd(Vector128<byte> previous, Vector128<byte> even)
    {
        Vector128<uint> word = Vector128.Shuffle(AesNi.KeygenAssist(even, 0).AsUInt32(), Vector128.Create(2u, 2, 2, 2));
        return (ShiftXor(previous).AsUInt32() ^ word).AsByte();
    }

    /// <summary>w ^ (w &lt;&lt; 32) ^ (w &lt;&lt; 64) ^ (w &lt;&lt; 96) over the 128-bit value: each word XORed with all words before it.</summary>
    private static Vector128<byte> ShiftXor(Vector128<byte> w)
    {
        Vector128<byte> shifted = ShiftBytesLeft(w);
        w ^= shifted;
        shifted = ShiftBytesLeft(shifted);
        w ^= shifted;
        shifted = ShiftBytesLeft(shifted);
        return w ^ shifted;
    }

    // _mm_slli_si128(x, 4): the bytes move four places up, zeros come in at the bottom.
    private static Vector128<byte> ShiftBytesLeft(Vector128<byte> x) =>
        Sse2.ShiftLeftLogical128BitLane(x, 4);

    [InlineArray(Rounds + 1)]
    private struct RoundKeys
    {
        private Vector128<byte> _key;
    }
}
