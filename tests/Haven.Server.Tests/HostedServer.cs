// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Haven.Testing;

namespace Haven.Server.Tests;

/// <summary>A <see cref="RepositoryServer"/> of one test on a free loopback port, with a raw HTTP client to poke it.</summary>
internal sealed class HostedServer : IAsyncDisposable
{
    private readonly TempDirectory _temp;
    private readonly RepositoryServer _server;

    private HostedServer(TempDirectory temp, RepositoryServer server)
    {
        _temp = temp;
        _server = server;
        Client = new HttpClient { BaseAddress = server.Address };
    }

    public HttpClient Client { get; }

    public string Root => _temp.Combine("root");

    public static async Task<HostedServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, Func<TempDirectory, ServerOptions, ServerOptions>? withFiles = null)
    {
        var temp = new TempDirectory("server");
        var options = new ServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), RootPath = temp.Combine("root") };
        options = configure?.Invoke(options) ?? options;
        options = withFiles?.Invoke(temp, options) ?? options;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return new HostedServer(temp, await RepositoryServer.StartAsync(options, null, deadline.Token));
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    public static (string Name, byte[] Content) NewFile(int size = 100)
    {
        byte[] content = RandomNumberGenerator.GetBytes(size);
        return (Convert.ToHexStringLower(SHA256.HashData(content)), content);
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, byte[]? body = null, AuthenticationHeaderValue? auth = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new ByteArrayContent(body) };
        request.Headers.Authorization = auth;
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Creates the repository at <paramref name="repository"/> ("" or "name/") and asserts it worked.</summary>
    public async Task CreateRepositoryAsync(string repository = "", AuthenticationHeaderValue? auth = null) =>
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, repository + "?create=true", auth: auth));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        _temp.Dispose();
    }
}
