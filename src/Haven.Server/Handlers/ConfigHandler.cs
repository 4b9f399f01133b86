// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage;
using Microsoft.AspNetCore.Http;

namespace Haven.Server.Handlers;

/// <summary>A repository's config: read, stored once (never overwritten), deleted only without --append-only.</summary>
internal static class ConfigHandler
{
    public static Task HandleAsync(HttpContext http, RequestTarget target, ServerContext server)
    {
        string method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return StoredFileResponse.SendAsync(http, server.Store.BackendFor(target.Repository).PathOf(FileHandle.Config));
        }

        if (HttpMethods.IsPost(method))
        {
            return UploadHandler.SaveAsync(http, target.Repository, FileHandle.Config, server);
        }

        if (HttpMethods.IsDelete(method))
        {
            return StoredFileResponse.DeleteAsync(http, target.Repository, FileHandle.Config, server);
        }

        return server.RefuseAsync(http, StatusCodes.Status405MethodNotAllowed, "config takes HEAD, GET, POST and DELETE");
    }
}
