// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using System.Text.Json;
using Haven.Format.Crypto;

namespace Haven.Format.Tests.Crypto;

public class KeyFileTests
{
    private static readonly ScryptParameters s_cheap = new(1024, 8, 1);
    private static readonly DateTimeOffset s_created = new(2026, 11, 26, 1, 54, 25, TimeSpan.Zero);

    [Fact]
    public void Opens_with_the_right_password_only()
    {
        MasterKey master = MasterKey.Generate();
        KeyFile file = KeyFile.Create("correct horse", master, s_cheap, "alice", "vm", s_created);

        Assert.True(file.TryOpen("correct horse", out MasterKey? opened));
        Assert.Equal(master.ToJson(), opened.ToJson());
        Assert.False(file.TryOpen("wrong horse", out MasterKey? none));
        Assert.Null(none);
    }

    [Fact]
    public void Json_has_restics_field_order_and_survives_parse()
    {
        MasterKey master = MasterKey.Generate();
        KeyFile file = KeyFile.Create("pw", master, s_cheap, "alice", "vm", s_created);
        byte[] json = file.ToJson();

        using var doc = JsonDocument.Parse(json);
        Assert.Equal(["created", "username", "hostname", "kdf", "N", "r", "p", "salt", "data"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-26T01:54:25Z", doc.RootElement.GetProperty("created").GetString());
        Assert.Equal(64, file.Salt.Length);
        Assert.NotEqual((byte)'\n', json[^1]);

        KeyFile parsed = KeyFile.Parse(json);
        Assert.Equal((file.Created, file.Username, file.Hostname, file.Kdf, file.N, file.R, file.P), (parsed.Created, parsed.Username, parsed.Hostname, parsed.Kdf, parsed.N, parsed.R, parsed.P));
        Assert.True(parsed.TryOpen("pw", out MasterKey? opened));
        Assert.Equal(master.ToJson(), opened.ToJson());
    }

    [Theory]
    [InlineData(0, 0, "2026-11-26T01:54:25Z")]
    [InlineData(1_500_000, 0, "2026-11-26T01:54:25.15Z")]
    [InlineData(1, 120, "2026-11-26T01:54:25.0000001+02:00")]
    [InlineData(0, -330, "2026-11-26T01:54:25-05:30")]
    public void Created_is_formatted_like_go_rfc3339nano(long extraTicks, int offsetMinutes, string expected)
    {
        var time = new DateTimeOffset(new DateTime(2026, 11, 26, 1, 54, 25).AddTicks(extraTicks), TimeSpan.FromMinutes(offsetMinutes));
        Assert.Equal(expected, GoTime.FormatRfc3339Nano(time));
    }

    [Theory]
    [InlineData("not json", "JSON")]
    [InlineData("{\"kdf\":\"argon2\",\"N\":1024,\"r\":8,\"p\":1,\"salt\":\"@SALT64\",\"data\":\"@DATA\"}", "argon2")]
    [InlineData("{\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,\"salt\":\"@SALT32\",\"data\":\"@DATA\"}", "salt")]
    [InlineData("{\"kdf\":\"scrypt\",\"N\":1000,\"r\":8,\"p\":1,\"salt\":\"@SALT64\",\"data\":\"@DATA\"}", "N=1000")]
    [InlineData("{\"kdf\":\"scrypt\",\"N\":1024,\"r\":0,\"p\":1,\"salt\":\"@SALT64\",\"data\":\"@DATA\"}", "r=0")]
    public void Parse_rejects_bad_key_files_with_a_clear_message(string template, string mentioned)
    {
        string json = template
            .Replace("@SALT64", Convert.ToBase64String(new byte[64]), StringComparison.Ordinal)
            .Replace("@SALT32", Convert.ToBase64String(new byte[32]), StringComparison.Ordinal)
            .Replace("@DATA", Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var error = Assert.Throws<FormatException>(() => KeyFile.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_matches_keys_case_insensitively_and_ignores_unknown_ones()
    {
        string json = "{\"KDF\":\"scrypt\",\"n\":1024,\"R\":8,\"P\":1,\"extra\":[1,2],\"Salt\":\""
            + Convert.ToBase64String(new byte[64]) + "\",\"DATA\":\"" + Convert.ToBase64String(new byte[40]) + "\"}";
        KeyFile file = KeyFile.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal((1024, 8, 1, 40), (file.N, file.R, file.P, file.Data.Length));
    }
}
