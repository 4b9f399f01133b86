// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Format;
using Haven.Server.Handlers;
using Microsoft.AspNetCore.Http;

namespace Haven.Server;

/// <summary>
/// Every request passes here in order: authentication (401), what the path names (400), private
/// repositories and append-only (403), then the handler of that resource.
/// </summary>
internal sealed class RequestRouter(ServerContext server, Authenticator? authenticator)
{
    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            await RouteAsync(http);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or the server is stopping) mid-request: nothing to answer.
        }
        catch (BadHttpRequestException error)
        {
            if (!http.Response.HasStarted)
            {
                await server.RefuseAsync(http, error.StatusCode, error.Message);
            }
        }
        catch (Exception error)
        {
            LogMessages.Failed(server.Logger, error, http.Request.Method, http.Request.Path.Value ?? "/");
            if (!http.Response.HasStarted)
            {
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    private async Task RouteAsync(HttpContext http)
    {
        string? user = null;
        if (authenticator is not null)
        {
            user = authenticator.Authenticate(http, out string reason);
            if (user is null)
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"restic\"";
                await server.RefuseAsync(http, StatusCodes.Status401Unauthorized, reason);
                return;
            }
        }

        if (!RequestTarget.TryParse(http.Request.Path.Value ?? "/", out var target))
        {
            await server.RefuseAsync(http, StatusCodes.Status400BadRequest, "not a repository path");
            return;
        }

        if (server.Options.PrivateRepositories && (user is null || target.FirstSegment != user))
        {
            await server.RefuseAsync(http, StatusCodes.Status403Forbidden, $"private repositories: a user may only use /{user ?? "<user>"}/ and below");
            return;
        }

        if (server.Options.AppendOnly && HttpMethods.IsDelete(http.Request.Method) && !(target.Kind == TargetKind.File && target.Type == FileType.Lock))
        {
            await server.RefuseAsync(http, StatusCodes.Status403Forbidden, "append-only: only lock files may be deleted");
            return;
        }

        await (target.Kind switch
        {
            TargetKind.Repository => RepositoryHandler.HandleAsync(http, target, server),
            TargetKind.Config => ConfigHandler.HandleAsync(http, target, server),
            TargetKind.Listing => ListingHandler.HandleAsync(http, target, server),
            _ => FileHandler.HandleAsync(http, target, server),
        });
    }
}
