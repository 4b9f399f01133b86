// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>`haven serve --htpasswd` with bcrypt entries, against real restic and haven's client.</summary>
public sealed class ServeAuthenticationTests : IDisposable
{
    private const string Password = Restic.DefaultPassword;
    private const string WrongSecret = "not-the-secret-4711";
    private readonly TempDirectory _temp = new("serve-auth");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Wrong_password_gets_401_and_fails_clearly_and_the_right_one_works()
    {
        string htpasswd = _temp.Combine("htpasswd");
        File.WriteAllText(htpasswd, "alice:" + BCrypt.Net.BCrypt.HashPassword("alice-secret", 5) + "\n");
        using var serve = new ServeProcess(_temp, _temp.Combine("served"), "--htpasswd", htpasswd);

        var refused = new Restic(serve.Url(credentials: "alice:" + WrongSecret), Password).Run("init");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("401", refused.Stderr, StringComparison.Ordinal);
        Wait.Until(() => serve.Log.Contains("from user 'alice' with 401: wrong password", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the refusal in the server's log");
        Assert.DoesNotContain(WrongSecret, serve.Log, StringComparison.Ordinal);

        var restic = new Restic(serve.Url(credentials: "alice:alice-secret"), Password);
        restic.RunChecked("init");
        string source = _temp.CreateSubdirectory("source");
        File.WriteAllText(Path.Combine(source, "a.txt"), "hello");
        restic.RunChecked("backup", source);

        var wrongHaven = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home-wrong"),
            new Dictionary<string, string?> { ["HAVEN_REST_USERNAME"] = "alice", ["HAVEN_REST_PASSWORD"] = WrongSecret });
        var failed = wrongHaven.Run("snapshots");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("refused the credentials (401 Unauthorized)", failed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, failed.Stderr + failed.Stdout, StringComparison.Ordinal);

        var haven = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home"),
            new Dictionary<string, string?> { ["HAVEN_REST_USERNAME"] = "alice", ["HAVEN_REST_PASSWORD"] = "alice-secret" });
        haven.RunChecked("backup", source);
        Assert.Contains("no errors were found", haven.RunChecked("check", "--read-data").Stdout, StringComparison.Ordinal);
        ServeInteropTests.AssertCheckPasses(restic);
    }
}
