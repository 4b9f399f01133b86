// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Microsoft.Extensions.Logging;

namespace Haven.Server;

/// <summary>Every message the server logs. Passwords never reach a log: only method, path, user and reason.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "serving {Root} on {Address} (append-only: {AppendOnly}, authentication: {Authentication}, private repositories: {PrivateRepositories})")]
    public static partial void Serving(ILogger logger, string root, string address, bool appendOnly, bool authentication, bool privateRepositories);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "refused {Method} {Path} from user '{User}' with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string user, int status, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    public static partial void Failed(ILogger logger, Exception error, string method, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "created repository {Path}")]
    public static partial void Created(ILogger logger, string path);
}
