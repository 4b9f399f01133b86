// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;

namespace Haven.Storage.Rest;

/// <summary>
/// A REST request failed: the server answered with an error status, or could not be reached
/// (<see cref="StatusCode"/> is null). 4xx answers are permanent, 5xx and network failures transient.
/// </summary>
public sealed class RestRequestException : StorageException
{
    public RestRequestException(string message, HttpStatusCode? statusCode, bool permanent)
        : base(message, permanent)
    {
        StatusCode = statusCode;
    }

    public RestRequestException(string message, Exception inner, bool permanent = false)
        : base(message, inner, permanent)
    {
    }

    public HttpStatusCode? StatusCode { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
}
