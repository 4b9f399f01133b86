// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Format;
using Haven.Storage;
using Microsoft.AspNetCore.Http;

namespace Haven.Server.Handlers;

/// <summary>
/// <c>POST</c> of a file: never over an existing one (403), its SHA-256 must equal its name unless
/// uploads are not verified, and it lands atomically through the local backend, so an upload cut
/// short leaves nothing under the final name.
/// </summary>
internal static class UploadHandler
{
    public static async Task SaveAsync(HttpContext http, string repository, FileHandle handle, ServerContext server)
    {
        if (!server.Store.Exists(repository))
        {
            await server.RefuseAsync(http, StatusCodes.Status404NotFound, "no such repository: create it first (POST ?create=true)");
            return;
        }

        var backend = server.Store.BackendFor(repository);
        if (File.Exists(backend.PathOf(handle)))
        {
            await server.RefuseAsync(http, StatusCodes.Status403Forbidden, $"{handle} exists and is never overwritten");
            return;
        }

        long? declared = http.Request.ContentLength;
        if (declared > server.Options.MaxUploadBytes)
        {
            await server.RefuseAsync(http, StatusCodes.Status413PayloadTooLarge, $"uploads are limited to {server.Options.MaxUploadBytes} bytes");
            return;
        }

        using var body = new MemoryStream(checked((int)(declared ?? 0)));
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        var content = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (server.Options.VerifyUploads && handle.Type != FileType.Config &&
            Convert.ToHexStringLower(SHA256.HashData(content.Span)) != handle.Name)
        {
            await server.RefuseAsync(http, StatusCodes.Status400BadRequest, $"the content of {handle} does not hash to its name: it was damaged on the way");
            return;
        }

        await backend.SaveAsync(handle, content, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}
