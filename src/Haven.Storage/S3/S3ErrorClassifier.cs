// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Haven.Storage.S3;

/// <summary>Tells which S3 failures mean "not there", which cannot get better by trying again, and how to say them.</summary>
internal static class S3ErrorClassifier
{
    public static bool IsNotFound(Exception error) => Find<AmazonS3Exception>(error) is { StatusCode: HttpStatusCode.NotFound };

    public static bool IsPermanent(Exception error)
    {
        if (error is StorageException storage && (storage.IsPermanent || storage.InnerException is null))
        {
            return storage.IsPermanent;
        }

        if (Find<AmazonServiceException>(error) is { } service)
        {
            int status = (int)service.StatusCode;
            return status is >= 400 and < 500 && status != 408 && status != 429 && service.ErrorCode is not ("RequestTimeout" or "SlowDown" or "RequestTimeTooSkewed");
        }

        // Missing credentials or a bad configuration cannot mend themselves; network failures can.
        return Find<AmazonClientException>(error) is { } client && Find<HttpRequestException>(client) is null && Find<IOException>(client.InnerException) is null && Find<TimeoutException>(client) is null;
    }

    public static string Describe(Exception error)
    {
        if (Find<AmazonServiceException>(error) is { } service)
        {
            return $"{(int)service.StatusCode} {service.ErrorCode ?? service.StatusCode.ToString()}{(string.IsNullOrEmpty(service.Message) ? string.Empty : ": " + service.Message)}";
        }

        var innermost = error;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost == error ? error.Message : $"{error.Message} ({innermost.Message})";
    }

    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
