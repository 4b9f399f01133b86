// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>A rest: URL's password is never printed: not in results, errors, retry lines, nor --json.</summary>
public sealed class RestSecretMaskingTests : IDisposable
{
    private const string Password = Restic.DefaultPassword;
    private const string Secret = "pa55-never-printed-9172";
    private readonly TempDirectory _temp = new("rest-mask");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_password_in_the_url_never_appears_in_output_errors_or_json()
    {
        string htpasswd = _temp.Combine("htpasswd");
        File.WriteAllText(htpasswd, "alice:" + BCrypt.Net.BCrypt.HashPassword(Secret, 5) + "\n");
        using var serve = new ServeProcess(_temp, _temp.Combine("served"), "--htpasswd", htpasswd);
        string url = serve.Url(credentials: "alice:" + Secret);
        var haven = new HavenCli(url, Password, _temp.CreateSubdirectory("home"));
        string masked = serve.Url(credentials: "alice");
        var outputs = new List<ProcessResult>();

        var init = haven.RunChecked("init");
        Assert.Contains($"at {masked}", init.Stdout, StringComparison.Ordinal);
        var json = haven.RunChecked("--json", "snapshots");
        outputs.AddRange([init, json]);

        serve.Kill();
        var down = haven.Run("-o", "retry.max-time=2s", "snapshots");
        Assert.Equal(ExitCodes.Fatal, down.ExitCode);
        Assert.Contains("Retrying: ", down.Stderr, StringComparison.Ordinal);
        Assert.Contains(masked, down.Stderr, StringComparison.Ordinal);
        var downJson = haven.Run("--json", "-o", "retry.attempts=1", "snapshots");
        Assert.Equal(ExitCodes.Fatal, downJson.ExitCode);
        Assert.Contains("\"message_type\":\"exit_error\"", downJson.Stderr, StringComparison.Ordinal);
        Assert.Contains(masked, downJson.Stderr, StringComparison.Ordinal);
        outputs.AddRange([down, downJson]);

        var malformed = new HavenCli($"rest:ftp://alice:{Secret}@127.0.0.1:1/", Password, haven.HomeDirectory).Run("--json", "snapshots");
        Assert.Equal(ExitCodes.Usage, malformed.ExitCode);
        Assert.Contains("rest:ftp://alice:***@127.0.0.1:1/", malformed.Stderr, StringComparison.Ordinal);
        outputs.Add(malformed);

        Assert.All(outputs, output => Assert.DoesNotContain(Secret, output.Stdout + output.Stderr, StringComparison.Ordinal));
    }
}
