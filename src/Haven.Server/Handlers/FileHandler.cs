// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Storage;
using Microsoft.AspNetCore.Http;

namespace Haven.Server.Handlers;

/// <summary>One file of a type (data, keys, locks, snapshots, index), named by its ID.</summary>
internal static class FileHandler
{
    public static Task HandleAsync(HttpContext http, RequestTarget target, ServerContext server)
    {
        if (!Id.TryParse(target.Name, out _))
        {
            return server.RefuseAsync(http, StatusCodes.Status400BadRequest, $"'{target.Name}' is not a file name: names are 64 hex digits");
        }

        var handle = new FileHandle(target.Type, target.Name);
        string method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            return StoredFileResponse.SendAsync(http, server.Store.BackendFor(target.Repository).PathOf(handle));
        }

        if (HttpMethods.IsPost(method))
        {
            return UploadHandler.SaveAsync(http, target.Repository, handle, server);
        }

        if (HttpMethods.IsDelete(method))
        {
            return StoredFileResponse.DeleteAsync(http, target.Repository, handle, server);
        }

        return server.RefuseAsync(http, StatusCodes.Status405MethodNotAllowed, "a file takes HEAD, GET, POST and DELETE");
    }
}
