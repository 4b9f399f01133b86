// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Haven.Storage.S3;

/// <summary>One file uploaded in parts: start, send each part, complete; abort on any failure so no parts are left behind.</summary>
internal sealed class S3MultipartUpload(IAmazonS3 client, string bucket, string key, int partSize, (ObjectLockMode Mode, DateTime Until)? retention)
{
    public async Task UploadAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var start = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = "application/octet-stream" };
        if (retention is { } r)
        {
            start.ObjectLockMode = r.Mode;
            start.ObjectLockRetainUntilDate = r.Until;
        }

        string uploadId = (await client.InitiateMultipartUploadAsync(start, cancellationToken).ConfigureAwait(false)).UploadId;
        try
        {
            var parts = new List<PartETag>();
            for (int number = 1, offset = 0; offset < content.Length; number++, offset += partSize)
            {
                var part = content.Slice(offset, Math.Min(partSize, content.Length - offset));
                var response = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    InputStream = AsStream(part),
                    PartSize = part.Length,
                    MD5Digest = Convert.ToBase64String(MD5.HashData(part.Span)),
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, response.ETag));
            }

            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartETags = parts }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                using var abortTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, abortTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception abortError) when (abortError is AmazonS3Exception or HttpRequestException or OperationCanceledException or IOException)
            {
                // The upload failed anyway; parts left behind are invisible to listings and a lifecycle rule cleans them.
            }

            throw;
        }
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
