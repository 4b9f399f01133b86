// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Haven.Server.Tests;

/// <summary>The REST protocol as restic's rest-server speaks it: listings, ranges, uploads and paths.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Listing_is_names_for_api_v1_and_names_with_sizes_for_api_v2()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await HostedServer.StartAsync();
        await server.CreateRepositoryAsync();
        var (name, content) = HostedServer.NewFile(123);
        Assert.Equal(HttpStatusCode.OK, await server.SendAsync(HttpMethod.Post, "data/" + name, content));

        using var v1 = await server.Client.GetAsync("data/", ct);
        Assert.Equal("application/json", v1.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"[\"{name}\"]", await v1.Content.ReadAsStringAsync(ct));

        using var request = new HttpRequestMessage(HttpMethod.Get, "data/") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/vnd.x.restic.rest.v2") } } };
        using var v2 = await server.Client.SendAsync(request, ct);
        Assert.Equal("application/vnd.x.restic.rest.v2", v2.Content.Headers.ContentType?.MediaType);
        using var listing = JsonDocument.Parse(await v2.Content.ReadAsStringAsync(ct));
        var entry = Assert.Single(listing.RootElement.EnumerateArray());
        Assert.Equal((name, 123L), (entry.GetProperty("name").GetString(), entry.GetProperty("size").GetInt64()));
    }

    [Fact]
    public async Task Head_gives_the_size_and_a_range_gives_206_with_just_those_bytes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await HostedServer.StartAsync();
        await server.CreateRepositoryAsync();
        var (name, content) = HostedServer.NewFile(1000);
        await server.SendAsync(HttpMethod.Post, "index/" + name, content);

        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "index/" + name), ct);
        Assert.Equal(1000, head.Content.Headers.ContentLength);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, "index/" + name) { Headers = { Range = new RangeHeaderValue(100, 199) } };
        using var part = await server.Client.SendAsync(ranged, ct);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(content[100..200], await part.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(HttpStatusCode.NotFound, await server.SendAsync(HttpMethod.Head, "index/" + HostedServer.NewFile().Name));
    }

    [Fact]
    public async Task Existing_file_is_never_overwritten()
    {
        await using var server = await HostedServer.StartAsync();
        await server.CreateRepositoryAsync();
        var (name, content) = HostedServer.NewFile();
        await server.SendAsync(HttpMethod.Post, "snapshots/" + name, content);

        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Post, "snapshots/" + name, content));
        Assert.Equal(HttpStatusCode.OK, await server.SendAsync(HttpMethod.Post, "config", [1, 2, 3]));
        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Post, "config", [4, 5, 6]));
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(Path.Combine(server.Root, "config"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Upload_whose_hash_is_not_its_name_is_refused_unless_verification_is_off()
    {
        await using var server = await HostedServer.StartAsync();
        await server.CreateRepositoryAsync();
        var (name, _) = HostedServer.NewFile();

        Assert.Equal(HttpStatusCode.BadRequest, await server.SendAsync(HttpMethod.Post, "data/" + name, [1, 2, 3]));
        Assert.Equal(HttpStatusCode.NotFound, await server.SendAsync(HttpMethod.Head, "data/" + name));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(server.Root, "data"), "*", SearchOption.AllDirectories));

        await using var lenient = await HostedServer.StartAsync(o => o with { VerifyUploads = false });
        await lenient.CreateRepositoryAsync();
        Assert.Equal(HttpStatusCode.OK, await lenient.SendAsync(HttpMethod.Post, "data/" + name, [1, 2, 3]));
    }

    [Fact]
    public async Task Repositories_below_the_root_are_ordinary_local_repositories()
    {
        await using var server = await HostedServer.StartAsync();
        await server.CreateRepositoryAsync("team/alpha/");
        var (name, content) = HostedServer.NewFile();

        Assert.Equal(HttpStatusCode.OK, await server.SendAsync(HttpMethod.Post, "team/alpha/data/" + name, content));

        string path = Path.Combine(server.Root, "team", "alpha", "data", name[..2], name);
        Assert.Equal(content, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        Assert.True(Directory.Exists(Path.Combine(server.Root, "team", "alpha", "keys")));
        Assert.Equal(HttpStatusCode.NotFound, await server.SendAsync(HttpMethod.Post, "other/data/" + name, content));
    }

    [Theory]
    [InlineData(".hidden/config")]
    [InlineData("a/.git/data/")]
    [InlineData("a%20b/config")]
    public async Task Paths_outside_the_plain_name_alphabet_are_refused(string path)
    {
        await using var server = await HostedServer.StartAsync();

        Assert.Equal(HttpStatusCode.BadRequest, await server.SendAsync(HttpMethod.Get, path));
    }

    [Fact]
    public async Task File_names_that_are_not_ids_are_refused()
    {
        await using var server = await HostedServer.StartAsync();
        await server.CreateRepositoryAsync();

        Assert.Equal(HttpStatusCode.BadRequest, await server.SendAsync(HttpMethod.Post, "keys/not-an-id", [1]));
        Assert.Equal(HttpStatusCode.BadRequest, await server.SendAsync(HttpMethod.Get, "keys/" + new string('a', 63)));
    }
}
