// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Haven.Testing;

namespace Haven.Server.Tests;

/// <summary>htpasswd users (bcrypt, {SHA}) and --private-repos.</summary>
public sealed class AuthenticationTests
{
    private static ServerOptions WithUsers(TempDirectory temp, ServerOptions options)
    {
        string file = temp.Combine("htpasswd");
        File.WriteAllLines(file,
        [
            "# users",
            "alice:" + BCrypt.Net.BCrypt.HashPassword("alice-password", 4),
            "bob:{SHA}" + Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes("bob-password"))),
        ]);
        return options with { HtpasswdFile = file };
    }

    [Fact]
    public async Task Requests_without_credentials_or_with_wrong_ones_get_401()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await HostedServer.StartAsync(withFiles: WithUsers);

        using var anonymous = await server.Client.GetAsync("data/", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, await server.SendAsync(HttpMethod.Post, "?create=true", auth: HostedServer.Basic("alice", "wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, await server.SendAsync(HttpMethod.Post, "?create=true", auth: HostedServer.Basic("mallory", "alice-password")));
        Assert.False(Directory.Exists(Path.Combine(server.Root, "keys")));
    }

    [Theory]
    [InlineData("alice", "alice-password")]
    [InlineData("bob", "bob-password")]
    public async Task Right_bcrypt_or_sha_password_is_accepted(string user, string password)
    {
        await using var server = await HostedServer.StartAsync(withFiles: WithUsers);

        await server.CreateRepositoryAsync(auth: HostedServer.Basic(user, password));
        Assert.Equal(HttpStatusCode.NotFound, await server.SendAsync(HttpMethod.Head, "config", auth: HostedServer.Basic(user, password)));
    }

    [Fact]
    public async Task Private_repositories_keep_each_user_below_their_own_name()
    {
        await using var server = await HostedServer.StartAsync(o => o with { PrivateRepositories = true }, WithUsers);
        var alice = HostedServer.Basic("alice", "alice-password");

        await server.CreateRepositoryAsync("alice/", alice);
        await server.CreateRepositoryAsync("alice/laptop/", alice);
        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Post, "bob/?create=true", auth: alice));
        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Post, "?create=true", auth: alice));
        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Get, "data/", auth: alice));
        Assert.False(Directory.Exists(Path.Combine(server.Root, "bob")));
    }

    [Fact]
    public async Task Htpasswd_entry_with_an_unsupported_hash_stops_the_server_from_starting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => HostedServer.StartAsync(withFiles: (temp, options) =>
        {
            string file = temp.Combine("htpasswd");
            File.WriteAllText(file, "carol:$apr1$abc$def\n");
            return options with { HtpasswdFile = file };
        }));

        Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("htpasswd -B", error.Message, StringComparison.Ordinal);
    }
}
