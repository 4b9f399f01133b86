// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.S3;

namespace Haven.Storage.Tests.S3;

/// <summary>restic's spellings of S3 repository URLs.</summary>
public sealed class S3LocationTests
{
    [Fact]
    public void An_explicit_endpoint_uses_path_style_and_keeps_the_prefix()
    {
        var location = S3Location.Parse("s3:http://127.0.0.1:7480/bucket/some/prefix");

        Assert.Equal(new Uri("http://127.0.0.1:7480"), location.Endpoint);
        Assert.Equal(("bucket", "some/prefix", true), (location.Bucket, location.Prefix, location.PathStyle));
        Assert.Equal("some/prefix/data/ab/abc", location.Key("data/ab/abc"));
        Assert.Equal("s3:http://127.0.0.1:7480/bucket/some/prefix", location.ToString());
    }

    [Fact]
    public void Amazon_without_a_scheme_is_https_and_virtual_hosted()
    {
        var location = S3Location.Parse("s3:s3.amazonaws.com/bucket");

        Assert.Equal(new Uri("https://s3.amazonaws.com"), location.Endpoint);
        Assert.Equal(("bucket", "", false, true), (location.Bucket, location.Prefix, location.PathStyle, location.IsAmazon));
        Assert.Equal("config", location.Key("config"));
    }

    [Theory]
    [InlineData("s3:http://127.0.0.1:7480/", "names no bucket")]
    [InlineData("s3:http://key:secret@127.0.0.1:7480/b", "credentials do not belong")]
    public void A_location_without_a_bucket_or_with_credentials_is_refused(string url, string message)
    {
        var error = Assert.Throws<FormatException>(() => S3Location.Parse(url));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
