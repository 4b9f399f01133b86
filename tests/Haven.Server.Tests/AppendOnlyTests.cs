// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;

namespace Haven.Server.Tests;

/// <summary>With --append-only nothing but lock files can be deleted, so a compromised client cannot destroy history.</summary>
public sealed class AppendOnlyTests
{
    [Theory]
    [InlineData("data")]
    [InlineData("snapshots")]
    [InlineData("index")]
    [InlineData("keys")]
    public async Task Deleting_anything_but_a_lock_is_refused_and_the_file_stays(string type)
    {
        await using var server = await HostedServer.StartAsync(o => o with { AppendOnly = true });
        await server.CreateRepositoryAsync();
        var (name, content) = HostedServer.NewFile();
        await server.SendAsync(HttpMethod.Post, $"{type}/{name}", content);

        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Delete, $"{type}/{name}"));
        Assert.Equal(HttpStatusCode.OK, await server.SendAsync(HttpMethod.Head, $"{type}/{name}"));
    }

    [Fact]
    public async Task Config_cannot_be_deleted_or_overwritten()
    {
        await using var server = await HostedServer.StartAsync(o => o with { AppendOnly = true });
        await server.CreateRepositoryAsync();
        await server.SendAsync(HttpMethod.Post, "config", [1]);

        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Delete, "config"));
        Assert.Equal(HttpStatusCode.Forbidden, await server.SendAsync(HttpMethod.Post, "config", [2]));
        Assert.Equal(HttpStatusCode.OK, await server.SendAsync(HttpMethod.Head, "config"));
    }

    [Fact]
    public async Task Lock_files_can_still_be_deleted()
    {
        await using var server = await HostedServer.StartAsync(o => o with { AppendOnly = true });
        await server.CreateRepositoryAsync();
        var (name, content) = HostedServer.NewFile();
        await server.SendAsync(HttpMethod.Post, "locks/" + name, content);

        Assert.Equal(HttpStatusCode.OK, await server.SendAsync(HttpMethod.Delete, "locks/" + name));
        Assert.Equal(HttpStatusCode.NotFound, await server.SendAsync(HttpMethod.Head, "locks/" + name));
    }

    [Fact]
    public async Task Without_append_only_deletes_work()
    {
        await using var server = await HostedServer.StartAsync();
        await server.CreateRepositoryAsync();
        var (name, content) = HostedServer.NewFile();
        await server.SendAsync(HttpMethod.Post, "data/" + name, content);

        Assert.Equal(HttpStatusCode.OK, await server.SendAsync(HttpMethod.Delete, "data/" + name));
        Assert.Equal(HttpStatusCode.NotFound, await server.SendAsync(HttpMethod.Delete, "data/" + name));
    }
}
