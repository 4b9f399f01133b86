// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.RegularExpressions;
using Haven.Testing;

namespace Haven.Cli.Tests.Rest;

/// <summary>
/// Errors that trying again cannot fix fail at once, without a "Retrying:" line, even with a
/// generous retry budget: an append-only server's refusal, wrong credentials, no repository.
/// </summary>
public sealed class RestRetryTests : IDisposable
{
    private const string Password = Restic.DefaultPassword;
    private readonly TempDirectory _temp = new("rest-retry");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_append_only_servers_refusal_to_delete_is_not_retried()
    {
        using var serve = new ServeProcess(_temp, _temp.Combine("served"), "--append-only");
        var haven = new HavenCli(serve.Url(), Password, _temp.CreateSubdirectory("home"));
        string source = _temp.CreateSubdirectory("source");
        haven.RunChecked("init");
        File.WriteAllText(Path.Combine(source, "a.txt"), "first");
        haven.RunChecked("backup", source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "second");
        haven.RunChecked("backup", source);

        var forget = haven.Run("-o", "retry.attempts=10", "-o", "retry.max-time=5m", "forget", "--keep-last", "1", "--prune");

        Assert.Equal(ExitCodes.Fatal, forget.ExitCode);
        Assert.DoesNotContain("Retrying:", forget.Stderr, StringComparison.Ordinal);
        string line = Assert.Single(forget.Stderr.Trim().Split('\n'));
        Assert.Contains("(403 Forbidden): it is an append-only server", line, StringComparison.Ordinal);
        // The server saw each refused delete once.
        Wait.Until(() => serve.Log.Contains("refused DELETE", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the refusal in the server's log");
        var refused = Regex.Matches(serve.Log, @"refused DELETE (\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(refused.Distinct().Count(), refused.Count);
    }

    [Fact]
    public void Wrong_credentials_and_a_missing_repository_fail_at_once()
    {
        string htpasswd = _temp.Combine("htpasswd");
        File.WriteAllText(htpasswd, "alice:" + BCrypt.Net.BCrypt.HashPassword("alice-secret", 5) + "\n");
        using var serve = new ServeProcess(_temp, _temp.Combine("served"), "--htpasswd", htpasswd);

        var wrong = new HavenCli(serve.Url(credentials: "alice:wrong-secret-0815"), Password, _temp.CreateSubdirectory("home-wrong")).Run("snapshots");
        Assert.Equal(ExitCodes.Fatal, wrong.ExitCode);
        Assert.Contains("refused the credentials (401 Unauthorized)", Assert.Single(wrong.Stderr.Trim().Split('\n')), StringComparison.Ordinal);

        var missing = new HavenCli(serve.Url(credentials: "alice:alice-secret"), Password, _temp.CreateSubdirectory("home-missing")).Run("snapshots");
        Assert.Equal(ExitCodes.RepositoryNotFound, missing.ExitCode);
        Assert.Contains("there is no repository at", Assert.Single(missing.Stderr.Trim().Split('\n')), StringComparison.Ordinal);
    }
}
