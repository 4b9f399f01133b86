// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.Json;
using CsCheck;
using Haven.Format.Crypto;

namespace Haven.Format.Tests.Crypto;

public class MasterKeyTests
{
    private static readonly MasterKey s_key = MasterKey.Generate();

    [Fact]
    public void Opens_restics_known_ciphertext()
    {
        // From restic internal/crypto/crypto_int_test.go; its r is stored unclamped.
        var key = new MasterKey(
            Convert.FromHexString("303e8687b1d7db18421bdc6bb8588ccadac4d59ee87b8ff70c44e635790cafef"),
            Convert.FromHexString("ef4d8824cb80b2bcc5fbff8a9b12a42c"),
            Convert.FromHexString("cc8d4b948ee0ebfe1d415de921d10353"));
        byte[] sealedData = Convert.FromHexString("69fb41c62d12def4593bd71757138606338f621aeaeb39da0fe4f99233f8037a54ea63338a813bcf3f75d8c3cc75dddf8750");

        Assert.Equal("Dies ist ein Test!", Encoding.UTF8.GetString(key.Open(sealedData)));
    }

    [Fact]
    public void Seal_then_open_returns_the_plaintext()
    {
        Gen.Byte.Array[0, 5000].Sample(plain =>
        {
            byte[] sealedData = s_key.Seal(plain);
            Assert.Equal(plain.Length + MasterKey.Overhead, sealedData.Length);
            Assert.Equal(plain, s_key.Open(sealedData));
        });
    }

    [Fact]
    public void Span_overloads_report_bytes_written()
    {
        byte[] plain = Encoding.UTF8.GetBytes("span overloads");
        var sealedData = new byte[plain.Length + 40];
        int sealedLength = s_key.Seal(plain, sealedData);
        var opened = new byte[100];
        int openedLength = s_key.Open(sealedData.AsSpan(0, sealedLength), opened);
        Assert.Equal(plain.Length + MasterKey.Overhead, sealedLength);
        Assert.Equal(plain, opened.AsSpan(0, openedLength).ToArray());
    }

    [Fact]
    public void Any_flipped_bit_fails_authentication()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int, Gen.Int[0, 7]).Sample((plain, position, bit) =>
        {
            byte[] sealedData = s_key.Seal(plain);
            sealedData[(int)((uint)position % sealedData.Length)] ^= (byte)(1 << bit);
            Assert.Throws<CiphertextAuthenticationException>(() => s_key.Open(sealedData));
        });
    }

    [Fact]
    public void Another_key_cannot_open()
    {
        byte[] sealedData = s_key.Seal("secret"u8);
        Assert.Throws<CiphertextAuthenticationException>(() => MasterKey.Generate().Open(sealedData));
    }

    [Fact]
    public void Rejects_input_shorter_than_the_overhead()
    {
        Assert.Throws<CiphertextAuthenticationException>(() => s_key.Open(new byte[31]));
        Assert.Throws<CiphertextAuthenticationException>(() => s_key.Open(new byte[31], new byte[10]));
    }

    [Fact]
    public void Rejects_an_all_zero_iv_even_with_a_valid_tag()
    {
        byte[] sealedData = s_key.Seal("zero iv"u8);
        sealedData.AsSpan(0, 16).Clear();
        var error = Assert.Throws<CiphertextAuthenticationException>(() => s_key.Open(sealedData));
        Assert.Contains("IV", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_all_zero_key_parts()
    {
        byte[] good = Enumerable.Repeat((byte)1, 32).ToArray();
        Assert.Throws<ArgumentException>(() => new MasterKey(new byte[32], good[..16], good[..16]));
        Assert.Throws<ArgumentException>(() => new MasterKey(good, new byte[16], good[..16]));
        Assert.Throws<ArgumentException>(() => new MasterKey(good, good[..16], new byte[16]));
    }

    [Fact]
    public void Stores_r_clamped()
    {
        var key = new MasterKey(Enumerable.Repeat((byte)0xff, 32).ToArray(), new byte[16] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, Enumerable.Repeat((byte)0xff, 16).ToArray());
        Assert.Equal(Convert.FromHexString("ffffff0ffcffff0ffcffff0ffcffff0f"), key.MacR.ToArray());
    }

    [Fact]
    public void Json_round_trips_in_restics_shape()
    {
        byte[] json = s_key.ToJson();
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(Convert.ToBase64String(s_key.EncryptionKey.Span), doc.RootElement.GetProperty("encrypt").GetString());
        Assert.Equal(Convert.ToBase64String(s_key.MacK.Span), doc.RootElement.GetProperty("mac").GetProperty("k").GetString());
        Assert.Equal(Convert.ToBase64String(s_key.MacR.Span), doc.RootElement.GetProperty("mac").GetProperty("r").GetString());

        MasterKey back = MasterKey.FromJson(json);
        Assert.Equal("round trip"u8.ToArray(), back.Open(s_key.Seal("round trip"u8)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"mac\":{\"k\":\"AAAAAAAAAAAAAAAAAAAAAA==\"},\"encrypt\":\"x\"}")]
    [InlineData("{\"mac\":{\"k\":\"AQEBAQEBAQEBAQEBAQEBAQ==\",\"r\":\"AQEBAQEBAQEBAQEBAQEBAQ==\"},\"encrypt\":\"AQEB\"}")]
    public void FromJson_rejects_malformed_keys(string json)
    {
        Assert.Throws<FormatException>(() => MasterKey.FromJson(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Seal_and_open_are_safe_from_many_threads()
    {
        byte[] plain = new byte[100_000];
        Random.Shared.NextBytes(plain);
        var failures = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (!s_key.Open(s_key.Seal(plain)).AsSpan().SequenceEqual(plain))
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }
}
