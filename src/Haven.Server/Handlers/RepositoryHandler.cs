// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Microsoft.AspNetCore.Http;

namespace Haven.Server.Handlers;

/// <summary>A repository itself: <c>POST /repo/?create=true</c> lays out a new one (and is harmless on an existing one, as in rest-server).</summary>
internal static class RepositoryHandler
{
    public static async Task HandleAsync(HttpContext http, RequestTarget target, ServerContext server)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await server.RefuseAsync(http, StatusCodes.Status405MethodNotAllowed, "a repository path only takes POST ?create=true");
            return;
        }

        if (http.Request.Query["create"] != "true")
        {
            await server.RefuseAsync(http, StatusCodes.Status400BadRequest, "POST to a repository path needs ?create=true");
            return;
        }

        var backend = server.Store.BackendFor(target.Repository);
        if (!File.Exists(backend.PathOf(Storage.FileHandle.Config)))
        {
            await backend.CreateAsync(http.RequestAborted);
            LogMessages.Created(server.Logger, "/" + target.Repository);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}
