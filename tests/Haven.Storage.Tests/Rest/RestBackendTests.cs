// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Format;
using Haven.Storage.Rest;
using Haven.Storage.Tests.Conformance;
using Haven.Testing;

namespace Haven.Storage.Tests.Rest;

/// <summary>The REST client against haven's own server (restic's protocol), each test in a repository of its own.</summary>
public sealed class RestBackendTests(RestServerFixture server) : BackendConformanceTests
{
    private Uri? _repository;

    protected override Task<IBackend> CreateBackendAsync()
    {
        _repository = server.NewRepository();
        return Task.FromResult<IBackend>(new RestBackend(new RestBackendOptions { BaseAddress = _repository }));
    }

    [Fact]
    public async Task Packs_land_in_an_ordinary_local_repository_below_the_server_root()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = RandomNumberGenerator.GetBytes(100);
        var id = Id.Hash(content);
        await Backend.SaveAsync(FileHandle.For(FileType.Pack, id), content, ct);

        string path = Path.Combine(server.RootPath, _repository!.Segments[^1].TrimEnd('/'), "data", id.ToString()[..2], id.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(path, ct));
    }

    [Fact]
    public async Task Saving_a_stored_file_again_succeeds_though_the_server_never_overwrites()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = RandomNumberGenerator.GetBytes(100);
        var handle = FileHandle.For(FileType.Snapshot, Id.Hash(content));
        await Backend.SaveAsync(handle, content, ct);

        await Backend.SaveAsync(handle, content, ct);

        Assert.Equal(content, await Backend.LoadAsync(handle, 0, 0, ct));
    }

    [Fact]
    public async Task Api_v1_listing_without_sizes_is_completed_by_asking_each_size()
    {
        var ct = TestContext.Current.CancellationToken;
        byte[] content = RandomNumberGenerator.GetBytes(321);
        var handle = FileHandle.For(FileType.Index, Id.Hash(content));
        await Backend.SaveAsync(handle, content, ct);
        var v1Only = new AcceptStrippingHandler();
        await using var v1 = new RestBackend(new RestBackendOptions { BaseAddress = _repository! }, v1Only);

        var listed = new List<StoredFile>();
        await foreach (var file in v1.ListAsync(FileType.Index, ct))
        {
            listed.Add(file);
        }

        Assert.Equal([new StoredFile(handle.Name, 321)], listed);
        Assert.Equal("application/json", v1Only.ListingMediaType);
    }

    [Fact]
    public async Task Unreachable_server_is_a_transient_error_naming_the_location_without_the_password()
    {
        var ct = TestContext.Current.CancellationToken;
        int port = LoopbackPort.Free();
        await using var backend = new RestBackend(RestBackendOptions.Parse($"rest:http://alice:s3cret@127.0.0.1:{port}/repo/"));

        var error = await Assert.ThrowsAsync<RestRequestException>(() => backend.GetSizeAsync(FileHandle.Config, ct));

        Assert.False(backend.IsPermanentError(error));
        Assert.False(backend.IsNotFound(error));
        Assert.Contains($"rest:http://alice@127.0.0.1:{port}/repo/", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.Equal($"rest:http://alice@127.0.0.1:{port}/repo/", backend.Location);
    }

    [Fact]
    public void Url_credentials_win_over_the_environment_and_the_path_gains_its_slash()
    {
        var options = RestBackendOptions.Parse("rest:https://bob:p%40ss@host.example:8000/a/b", "env-user", "env-password");

        Assert.Equal(new Uri("https://host.example:8000/a/b/"), options.BaseAddress);
        Assert.Equal(("bob", "p@ss"), (options.Username, options.Password));
        Assert.Equal(("env-user", "env-password"), (RestBackendOptions.Parse("rest:http://h:1/", "env-user", "env-password").Username, RestBackendOptions.Parse("rest:http://h:1/", "env-user", "env-password").Password));
        var bad = Assert.Throws<ArgumentException>(() => RestBackendOptions.Parse("rest:ftp://bob:hunter2@h/"));
        Assert.DoesNotContain("hunter2", bad.Message, StringComparison.Ordinal);
    }

    /// <summary>Makes the client look like an API v1 client (no v2 Accept), as against an old server.</summary>
    private sealed class AcceptStrippingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public string? ListingMediaType { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Accept.Clear();
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith('/'))
            {
                ListingMediaType = response.Content.Headers.ContentType?.MediaType;
            }

            return response;
        }
    }
}
