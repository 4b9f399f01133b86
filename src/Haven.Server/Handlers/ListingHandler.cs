// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using Haven.Storage.Rest;
using Microsoft.AspNetCore.Http;

namespace Haven.Server.Handlers;

/// <summary>
/// <c>GET /repo/{type}/</c>: API v2 (asked for in Accept) answers names with sizes, API v1 a plain
/// array of names. Temporary files of interrupted uploads are not IDs and are never listed.
/// </summary>
internal static class ListingHandler
{
    public static async Task HandleAsync(HttpContext http, RequestTarget target, ServerContext server)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            await server.RefuseAsync(http, StatusCodes.Status405MethodNotAllowed, "a listing only takes GET");
            return;
        }

        if (!server.Store.Exists(target.Repository))
        {
            await server.RefuseAsync(http, StatusCodes.Status404NotFound, "no such repository");
            return;
        }

        bool v2 = http.Request.Headers.Accept.Any(value => value?.Contains(RestProtocol.ApiV2MediaType, StringComparison.Ordinal) == true);
        http.Response.ContentType = v2 ? RestProtocol.ApiV2MediaType : "application/json";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartArray();
        await foreach (var file in server.Store.BackendFor(target.Repository).ListAsync(target.Type, http.RequestAborted))
        {
            if (v2)
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteNumber("size", file.Size);
                json.WriteEndObject();
            }
            else
            {
                json.WriteStringValue(file.Name);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(http.RequestAborted);
    }
}
