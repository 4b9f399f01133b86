// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using Haven.Server;
using Haven.Testing;

[assembly: AssemblyFixture(typeof(Haven.Storage.Tests.Rest.RestServerFixture))]

namespace Haven.Storage.Tests.Rest;

/// <summary>One <see cref="RepositoryServer"/> on a free loopback port for the whole run; each test uses its own repository below it.</summary>
public sealed class RestServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new("rest-server");
    private RepositoryServer? _server;

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("the server is not running");

    public string RootPath => _root.Path;

    /// <summary>The address of a new, not yet created repository of its own.</summary>
    public Uri NewRepository() => new(Address, $"repo-{Guid.NewGuid():N}/");

    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _server = await RepositoryServer.StartAsync(new ServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), RootPath = _root.Path }, null, deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _root.Dispose();
    }
}
