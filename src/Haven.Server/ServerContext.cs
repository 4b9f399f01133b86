// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Haven.Server;

/// <summary>What every handler needs: the options, the repositories, and one way to refuse a request (logged).</summary>
internal sealed class ServerContext(ServerOptions options, RepositoryStore store, ILogger logger)
{
    private const string UserItem = "haven.user";

    public ServerOptions Options { get; } = options;

    public RepositoryStore Store { get; } = store;

    public ILogger Logger { get; } = logger;

    public static void SetUser(HttpContext http, string user) => http.Items[UserItem] = user;

    public static string UserOf(HttpContext http) => http.Items[UserItem] as string ?? "-";

    /// <summary>Answers with <paramref name="status"/> and a one-line reason; 401 and 403 are logged.</summary>
    public Task RefuseAsync(HttpContext http, int status, string reason)
    {
        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)
        {
            LogMessages.Refused(Logger, http.Request.Method, http.Request.Path.Value ?? "/", UserOf(http), status, reason);
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(reason + "\n", http.RequestAborted);
    }
}
