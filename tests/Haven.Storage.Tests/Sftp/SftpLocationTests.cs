// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage.Sftp;

namespace Haven.Storage.Tests.Sftp;

/// <summary>Repository locations as restic spells them for its sftp backend.</summary>
public sealed class SftpLocationTests
{
    [Theory]
    [InlineData("sftp:alice@backup.example:/srv/repo", "alice", "backup.example", 22, "/srv/repo")]
    [InlineData("sftp:alice@backup.example:repo/sub/", "alice", "backup.example", 22, "repo/sub")]
    [InlineData("sftp:backup.example:/srv//repo/./x", null, "backup.example", 22, "/srv/repo/x")]
    [InlineData("sftp:bob@[::1]:/srv/repo", "bob", "::1", 22, "/srv/repo")]
    [InlineData("sftp://alice@backup.example:2222/repo", "alice", "backup.example", 2222, "repo")]
    [InlineData("sftp://alice@backup.example:2222//srv/repo", "alice", "backup.example", 2222, "/srv/repo")]
    [InlineData("sftp://backup.example/repo", null, "backup.example", 22, "repo")]
    [InlineData("sftp://carol@[::1]:2200//srv/repo", "carol", "::1", 2200, "/srv/repo")]
    public void Parses_both_forms_with_restics_path_rules(string text, string? user, string host, int port, string path)
    {
        Assert.Equal(new SftpLocation(user, host, port, path), SftpLocation.Parse(text));
    }

    [Theory]
    [InlineData("sftp:alice@backup.example:/srv/repo")]
    [InlineData("sftp:backup.example:repo")]
    [InlineData("sftp://alice@backup.example:2222//srv/repo")]
    [InlineData("sftp://alice@backup.example:2222/repo")]
    public void Prints_back_as_given(string text)
    {
        Assert.Equal(text, SftpLocation.Parse(text).ToString());
    }

    [Theory]
    [InlineData("sftp:alice@backup.example", "has no path")]
    [InlineData("sftp:alice@backup.example:", "names no directory")]
    [InlineData("sftp://alice@backup.example", "names no directory")]
    [InlineData("sftp:alice@backup.example:~/repo", "do not expand '~'")]
    [InlineData("sftp://alice:hunter2@backup.example/repo", "with a password are not supported")]
    [InlineData("sftp:@backup.example:/repo", "empty user name")]
    public void Rejects_what_cannot_work_with_a_sentence(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => SftpLocation.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
