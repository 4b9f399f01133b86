// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.Rest;
using Haven.Storage.S3;
using Haven.Storage.Sftp;

namespace Haven.Storage.Tests;

/// <summary>A location that cannot be parsed is echoed in the error with its password hidden.</summary>
public sealed class LocationTextTests
{
    [Theory]
    [InlineData("rest:http://alice:s3cret@host:8000/repo/", "rest:http://alice:***@host:8000/repo/")]
    [InlineData("sftp://alice:s3cret@host:bad/x", "sftp://alice:***@host:bad/x")]
    [InlineData("rest:http://alice@host:8000/", "rest:http://alice@host:8000/")]
    // An '@' in the path looks like the end of credentials: when in doubt, hide.
    [InlineData("rest:http://host:8000/a@b", "rest:http://host:***@b")]
    [InlineData("/srv/backup", "/srv/backup")]
    public void The_password_is_replaced_and_the_rest_kept(string location, string shown)
    {
        Assert.Equal(shown, LocationText.HidePassword(location));
    }

    [Fact]
    public void Parse_errors_of_every_url_backend_hide_the_password()
    {
        var sftp = Assert.Throws<FormatException>(() => SftpLocation.Parse("sftp://alice:s3cret@127.0.0.1:bad/x"));
        var s3 = Assert.Throws<FormatException>(() => S3Location.Parse("s3:http://key:s3cret@127.0.0.1:bad/bucket"));
        var rest = Assert.Throws<ArgumentException>(() => RestBackendOptions.Parse("rest:ftp://alice:s3cret@127.0.0.1/"));

        Assert.All(new Exception[] { sftp, s3, rest }, error =>
        {
            Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
            Assert.Contains(":***@127.0.0.1", error.Message, StringComparison.Ordinal);
        });
    }
}
