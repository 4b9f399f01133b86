// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text;
using Haven.Format.Configuration;

namespace Haven.Format.Tests.Configuration;

public class RepositoryConfigTests
{
    private const string RepoId = "5b5b1bd6b5c4e2d1c4f0b3a6c6f1d8e7a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4";

    [Fact]
    public void Writes_restics_exact_json()
    {
        var config = new RepositoryConfig(2, RepoId, 0x318446006dd733);
        Assert.Equal(
            "{\"version\":2,\"id\":\"" + RepoId + "\",\"chunker_polynomial\":\"318446006dd733\"}",
            Encoding.UTF8.GetString(config.ToJson()));
    }

    [Fact]
    public void Parse_round_trips_and_ignores_unknown_keys()
    {
        var config = new RepositoryConfig(1, RepoId, 0x3DA3358B4DC173);
        Assert.Equal(config, RepositoryConfig.Parse(config.ToJson()));

        string rustic = "{\"Version\":2,\"id\":\"" + RepoId + "\",\"chunker_polynomial\":\"3da3358b4dc173\",\"is_hot\":false,\"compression\":3}";
        Assert.Equal(new RepositoryConfig(2, RepoId, 0x3DA3358B4DC173), RepositoryConfig.Parse(Encoding.UTF8.GetBytes(rustic)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Rejects_unsupported_versions(int version)
    {
        string json = "{\"version\":" + version + ",\"id\":\"" + RepoId + "\",\"chunker_polynomial\":\"1\"}";
        var error = Assert.Throws<FormatException>(() => RepositoryConfig.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains($"version {version}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"version\":2,\"chunker_polynomial\":\"xyz\"}")]
    [InlineData("{\"version\":2")]
    [InlineData("[]")]
    public void Rejects_malformed_json(string json)
    {
        Assert.Throws<FormatException>(() => RepositoryConfig.Parse(Encoding.UTF8.GetBytes(json)));
    }
}
