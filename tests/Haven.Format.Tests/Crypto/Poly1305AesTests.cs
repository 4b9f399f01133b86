// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using BouncyCastlePoly1305 = Org.BouncyCastle.Crypto.Macs.Poly1305;

namespace Haven.Format.Tests.Crypto;

/// <summary>Bernstein, "The Poly1305-AES message-authentication code" (2005), appendix B.</summary>
public class Poly1305AesTests
{
    [Theory]
    [InlineData("f3f6", "851fc40c3467ac0be05cc20404f3f700", "ec074c835580741701425b623235add6", "fb447350c4e868c52ac3275cf9d4327e", "f4c633c3044fc145f84f335cb81953de")]
    [InlineData("", "a0f3080000f46400d0c7e9076c834403", "75deaa25c09f208e1dc4ce6b5cad3fbf", "61ee09218d29b0aaed7e154a2c5509cc", "dd3fab2251f11ac759f0887129cc2ee7")]
    [InlineData("663cea190ffb83d89593f3f476b6bc24d7e679107ea26adb8caf6652d0656136", "48443d0bb0d21109c89a100b5ce2c208", "6acb5f61a7176dd320c5c1eb2edcdc74", "ae212a55399729595dea458bc621ff0e", "0ee1c16bb73f0f4fd19881753c01cdbe")]
    [InlineData("ab0812724a7f1e342742cbed374d94d136c6b8795d45b3819830f2c04491faf0990c62e48b8018b2c3e4a0fa3134cb67fa83e158c994d961c4cb21095c1bf9", "12976a08c4426d0ce8a82407c4f48207", "e1a5668a4d5b66a5f68cc5424ed5982d", "9ae831e743978d3a23527c7128149e3a", "5154ad0d2cb26e01274fc51148491f1b")]
    public void Computes_the_published_tags(string message, string r, string k, string nonce, string tag)
    {
        Span<byte> actual = stackalloc byte[16];
        Poly1305Aes.ComputeTag(Hex(k), Hex(r), Hex(nonce), Hex(message), actual);
        Assert.Equal(Hex(tag), actual.ToArray());
    }

    // Haven's Poly1305 (scalar and four-lane vector paths) against BouncyCastle's, which reads its key as r ‖ k.
    [Fact]
    public void Matches_bouncycastle_on_random_keys_and_lengths()
    {
        Gen.Select(Gen.Byte.Array[48], Gen.Int[0, 10_000]).Sample((keyAndNonce, length) =>
        {
            byte[] r = keyAndNonce[..16];
            Poly1305Aes.Clamp(r);
            byte[] k = keyAndNonce[16..32];
            byte[] nonce = keyAndNonce[32..];
            byte[] message = new byte[length];
            Random.Shared.NextBytes(message);

            Assert.Equal(BouncyCastleTag(r, k, nonce, message), Tag(k, r, nonce, message));
        }, iter: 400);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(319)]
    [InlineData(1 << 20)]
    public void Matches_bouncycastle_at_the_vector_path_edges_with_all_ones(int length)
    {
        // All-ones message, r and k push every limb to its largest value, where a missed carry shows.
        byte[] r = Enumerable.Repeat((byte)0xff, 16).ToArray();
        Poly1305Aes.Clamp(r);
        byte[] k = Enumerable.Repeat((byte)0xff, 16).ToArray();
        byte[] nonce = Enumerable.Repeat((byte)0xff, 16).ToArray();
        byte[] message = Enumerable.Repeat((byte)0xff, length).ToArray();

        Assert.Equal(BouncyCastleTag(r, k, nonce, message), Tag(k, r, nonce, message));
    }

    [Fact]
    public void Feeding_a_message_in_pieces_gives_the_tag_of_the_whole()
    {
        Gen.Select(Gen.Byte.Array[48], Gen.Int[0, 5_000].Array[1, 6]).Sample((keyAndNonce, pieceLengths) =>
        {
            byte[] r = keyAndNonce[..16];
            Poly1305Aes.Clamp(r);
            int[] pieces = pieceLengths.Select(length => length & ~15).ToArray();
            pieces[^1] = pieceLengths[^1];
            byte[] message = new byte[pieces.Sum()];
            Random.Shared.NextBytes(message);

            var poly = new Poly1305(r);
            int offset = 0;
            foreach (int length in pieces)
            {
                poly.Update(message.AsSpan(offset, length));
                offset += length;
            }

            byte[] tag = new byte[16];
            Poly1305Aes.Finish(ref poly, keyAndNonce.AsSpan(16, 16), keyAndNonce.AsSpan(32), tag);
            Assert.Equal(Tag(keyAndNonce[16..32], r, keyAndNonce[32..], message), tag);
        }, iter: 100);
    }

    [Fact]
    public void Clamp_masks_the_bits_poly1305_requires_clear()
    {
        byte[] r = Enumerable.Repeat((byte)0xff, 16).ToArray();
        Poly1305Aes.Clamp(r);
        Assert.Equal(Hex("ffffff0ffcffff0ffcffff0ffcffff0f"), r);
    }

    private static byte[] Tag(byte[] k, byte[] r, byte[] nonce, byte[] message)
    {
        byte[] tag = new byte[16];
        Poly1305Aes.ComputeTag(k, r, nonce, message, tag);
        return tag;
    }

    private static byte[] BouncyCastleTag(byte[] r, byte[] k, byte[] nonce, byte[] message)
    {
        var mac = new BouncyCastlePoly1305(new AesEngine());
        mac.Init(new ParametersWithIV(new KeyParameter([.. r, .. k]), nonce));
        mac.BlockUpdate(message);
        byte[] tag = new byte[16];
        mac.DoFinal(tag);
        return tag;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
