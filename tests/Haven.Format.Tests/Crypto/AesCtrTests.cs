// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using CsCheck;
using Haven.Format.Crypto;

namespace Haven.Format.Tests.Crypto;

public class AesCtrTests
{
    [Fact]
    public void Matches_nist_sp800_38a_f_5_5_ctr_aes256_encrypt()
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        byte[] iv = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        byte[] plain = Convert.FromHexString(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        byte[] output = new byte[plain.Length];

        AesCtr.Transform(aes, iv, plain, output);
        byte[] aesNiOutput = new byte[plain.Length];
        new AesNiCtr(aes.Key).Transform(iv, plain, aesNiOutput);

        const string Expected = "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6";
        Assert.Equal(Expected, Convert.ToHexStringLower(output));
        Assert.Equal(Expected, Convert.ToHexStringLower(aesNiOutput));
    }

    [Theory]
    [InlineData("0000000000000000fffffffffffffffe")]
    [InlineData("fffffffffffffffffffffffffffffffe")]
    public void Counter_carries_across_all_128_bits_like_go(string ivHex)
    {
        using var aes = Aes.Create();
        aes.Key = new byte[32];
        byte[] iv = Convert.FromHexString(ivHex);
        byte[] output = new byte[64];

        AesCtr.Transform(aes, iv, new byte[64], output);
        byte[] aesNiOutput = new byte[200];
        new AesNiCtr(aes.Key).Transform(iv, new byte[200], aesNiOutput);

        Assert.Equal(ReferenceKeyStream(aes, iv, 64), output);
        Assert.Equal(ReferenceKeyStream(aes, iv, 200), aesNiOutput);
    }

    [Fact]
    public void Long_inputs_of_any_length_match_a_block_by_block_reference()
    {
        using var aes = Aes.Create();
        aes.Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        Gen.Select(Gen.Int[0, 70_000], Gen.Byte.Array[16]).Sample((length, iv) =>
        {
            byte[] input = new byte[length];
            Random.Shared.NextBytes(input);
            byte[] output = new byte[length];
            AesCtr.Transform(aes, iv, input, output);
            byte[] aesNiOutput = (byte[])input.Clone();
            new AesNiCtr(aes.Key).Transform(iv, aesNiOutput, aesNiOutput);

            byte[] stream = ReferenceKeyStream(aes, iv, length);
            for (int i = 0; i < length; i++)
            {
                stream[i] ^= input[i];
            }

            Assert.Equal(stream, output);
            Assert.Equal(stream, aesNiOutput);
        }, iter: 20);
    }

    private static byte[] ReferenceKeyStream(Aes aes, byte[] iv, int length)
    {
        var counter = (byte[])iv.Clone();
        var result = new byte[length];
        for (int offset = 0; offset < length; offset += 16)
        {
            byte[] block = aes.EncryptEcb(counter, PaddingMode.None);
            block.AsSpan(0, Math.Min(16, length - offset)).CopyTo(result.AsSpan(offset));
            for (int i = 15; i >= 0 && ++counter[i] == 0; i--)
            {
            }
        }

        return result;
    }
}
