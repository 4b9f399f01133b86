// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Storage;
using Microsoft.AspNetCore.Http;

namespace Haven.Server.Handlers;

/// <summary>Reading (HEAD, GET with Range) and deleting a stored file, shared by config and typed files.</summary>
internal static class StoredFileResponse
{
    public static Task SendAsync(HttpContext http, string path)
    {
        if (!File.Exists(path))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        // Kestrel sends no body for HEAD, but the length and range headers all the same.
        return TypedResults.PhysicalFile(path, "application/octet-stream", enableRangeProcessing: true).ExecuteAsync(http);
    }

    public static async Task DeleteAsync(HttpContext http, string repository, FileHandle handle, ServerContext server)
    {
        var backend = server.Store.BackendFor(repository);
        try
        {
            await backend.RemoveAsync(handle, http.RequestAborted);
        }
        catch (Exception error) when (backend.IsNotFound(error))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}
