// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Haven.Format;

namespace Haven.Storage.S3;

/// <summary>
/// A repository in an S3 bucket, laid out as restic lays it out: <c>config</c>, <c>keys/ID</c>,
/// <c>locks/ID</c>, <c>snapshots/ID</c>, <c>index/ID</c> and <c>data/XX/ID</c> below an optional prefix.
/// A PUT is atomic in S3, so saves need no temporary names; they carry <c>If-None-Match: *</c> so an
/// object is never overwritten. At most <see cref="S3Options.Connections"/> requests run at once and
/// each has a timeout. The SDK's own retries are off: <see cref="Retry.RetryingBackend"/> retries.
/// </summary>
public sealed class S3Backend : IBackend
{
    private readonly S3Location _location;
    private readonly S3Options _options;
    private readonly AmazonS3Client _client;
    private readonly SemaphoreSlim _connections;
    private readonly Lock _objectLockGate = new();
    private Task? _objectLockCheck;

    public S3Backend(S3Location location, S3Options options)
    {
        _location = location;
        _options = options;
        if (options.Connections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Connections, "s3.connections must be at least 1");
        }

        var config = new AmazonS3Config
        {
            ForcePathStyle = location.PathStyle,
            UseHttp = location.Endpoint.Scheme == Uri.UriSchemeHttp,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            MaxConnectionsPerServer = options.Connections,
        };
        string region = options.Region ?? "us-east-1";
        if (location.IsAmazon && location.Endpoint.Host.Equals("s3.amazonaws.com", StringComparison.OrdinalIgnoreCase))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = location.Endpoint.ToString();
            config.AuthenticationRegion = region;
        }

        _client = options.Credentials is { } c
            ? new AmazonS3Client(c.SessionToken is null ? new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey) : new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), config)
            : new AmazonS3Client(config);
        _connections = new SemaphoreSlim(options.Connections);
    }

    public string Location => _location.ToString();

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        if (await ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false))
        {
            throw new StorageException($"a repository already exists at {Location}", permanent: true);
        }

        bool bucketExists = await RequestAsync(async ct =>
        {
            try
            {
                await _client.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = _location.Bucket }, ct).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception error) when (error.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, "check the bucket of", cancellationToken).ConfigureAwait(false);
        if (!bucketExists)
        {
            await RequestAsync(ct => _client.PutBucketAsync(new PutBucketRequest { BucketName = _location.Bucket, ObjectLockEnabledForBucket = _options.ObjectLockDays is not null ? true : null }, ct), "create the bucket of", cancellationToken).ConfigureAwait(false);
        }

        if (_options.ObjectLockDays is not null)
        {
            await ObjectLockCheckedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        bool retain = _options.ObjectLockDays is not null && handle.Type != FileType.Lock;
        if (retain)
        {
            await ObjectLockCheckedAsync(cancellationToken).ConfigureAwait(false);
        }

        string key = KeyOf(handle);
        if (content.Length >= _options.MultipartThreshold)
        {
            // Conditional writes do not cover CompleteMultipartUpload everywhere: look first.
            if (await ExistsWithSizeAsync(handle, content.Length, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await RequestAsync(ct => new S3MultipartUpload(_client, _location.Bucket, key, _options.PartSize, Retention(retain)).UploadAsync(content, ct), "upload", handle, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await RequestAsync(async ct =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = _location.Bucket,
                    Key = key,
                    InputStream = AsStream(content),
                    AutoCloseStream = true,
                    IfNoneMatch = "*",
                    MD5Digest = Convert.ToBase64String(MD5.HashData(content.Span)),
                    ContentType = "application/octet-stream",
                };
                if (Retention(retain) is { } retention)
                {
                    request.ObjectLockMode = retention.Mode;
                    request.ObjectLockRetainUntilDate = retention.Until;
                }

                await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
            }, "upload", handle, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException error) when (error.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.PreconditionFailed })
        {
            // The object exists. Names are content hashes, so the same name and size is the same file.
            if (!await ExistsWithSizeAsync(handle, content.Length, cancellationToken).ConfigureAwait(false))
            {
                throw new StorageException($"{handle} already exists in {Location} with other content", error, permanent: true);
            }
        }
    }

    public async Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        return await RequestAsync(async ct =>
        {
            using var response = await GetAsync(handle, offset, length, ct).ConfigureAwait(false);
            long expected = length > 0 ? length : response.ContentLength;
            if (expected > int.MaxValue)
            {
                throw new StorageException($"{handle} is too large to load at once ({expected} bytes)", permanent: true);
            }

            var buffer = new byte[expected];
            await FillAsync(response, handle, offset, length, buffer, ct).ConfigureAwait(false);
            return buffer;
        }, "download", handle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A ranged GET straight into the caller's buffer: no array per read.</summary>
    public async Task ReadAsync(FileHandle handle, long offset, Memory<byte> destination, CancellationToken cancellationToken)
    {
        await RequestAsync(async ct =>
        {
            using var response = await GetAsync(handle, offset, destination.Length, ct).ConfigureAwait(false);
            await FillAsync(response, handle, offset, destination.Length, destination, ct).ConfigureAwait(false);
            return true;
        }, "download", handle, cancellationToken).ConfigureAwait(false);
    }

    private Task<GetObjectResponse> GetAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = _location.Bucket, Key = KeyOf(handle) };
        if (length > 0)
        {
            request.ByteRange = new ByteRange(offset, offset + length - 1);
        }
        else if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        return _client.GetObjectAsync(request, cancellationToken);
    }

    /// <summary>Reads the whole body into <paramref name="buffer"/>; a short body is an error (permanent when the object is shorter than asked for).</summary>
    private static async Task FillAsync(GetObjectResponse response, FileHandle handle, long offset, int length, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await response.ResponseStream.ReadAsync(buffer[done..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            done += n;
        }

        if (done < buffer.Length)
        {
            bool truncated = length > 0 && response.ContentLength < length;
            throw new StorageException(truncated
                ? $"{handle} is shorter than the {length} bytes at offset {offset} asked for"
                : $"{handle}: the connection ended after {done} of {buffer.Length} bytes", permanent: truncated);
        }
    }

    public async Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        var metadata = await HeadAsync(handle, cancellationToken).ConfigureAwait(false);
        return metadata.ContentLength;
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        // S3 answers a DELETE of a missing key with success, so look first; in a versioned bucket
        // delete the version itself, so that Object Lock can refuse it instead of hiding it behind a marker.
        var metadata = await HeadAsync(handle, cancellationToken).ConfigureAwait(false);
        string? version = metadata.VersionId is { Length: > 0 } v && v != "null" ? v : null;
        try
        {
            await RequestAsync(ct => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _location.Bucket, Key = KeyOf(handle), VersionId = version }, ct), "delete", handle, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException error) when (error.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } && metadata.ObjectLockRetainUntilDate is { } until)
        {
            var utc = new DateTimeOffset(until.ToUniversalTime(), TimeSpan.Zero);
            throw new RetainedFileException($"cannot delete {handle} from {Location}: it is under Object Lock retention ({metadata.ObjectLockMode?.Value ?? "unknown mode"}) until {utc:yyyy-MM-dd HH:mm:ss} UTC", utc, error);
        }
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (type == FileType.Config)
        {
            if (await ExistsAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false))
            {
                yield return new StoredFile("config", await GetSizeAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false));
            }

            yield break;
        }

        string prefix = _location.Key(FileTypeNames.Folder(type)) + "/";
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix, ContinuationToken = token, MaxKeys = 1000 };
            var page = await RequestAsync(ct => _client.ListObjectsV2Async(request, ct), $"list {FileTypeNames.Folder(type)} in", cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                string name = item.Key[(item.Key.LastIndexOf('/') + 1)..];
                bool inPlace = type == FileType.Pack ? item.Key.Length == prefix.Length + 3 + name.Length : item.Key.Length == prefix.Length + name.Length;
                if (inPlace && Id.TryParse(name, out _))
                {
                    yield return new StoredFile(name, item.Size ?? 0);
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public bool IsNotFound(Exception error) => S3ErrorClassifier.IsNotFound(error);

    public bool IsPermanentError(Exception error) => S3ErrorClassifier.IsPermanent(error);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _connections.Dispose();
        return ValueTask.CompletedTask;
    }

    private string KeyOf(FileHandle handle) => _location.Key(handle.Type switch
    {
        FileType.Config => "config",
        FileType.Pack => $"data/{handle.Name[..2]}/{handle.Name}",
        _ => $"{FileTypeNames.Folder(handle.Type)}/{handle.Name}",
    });

    private (ObjectLockMode Mode, DateTime Until)? Retention(bool retain) =>
        retain && _options.ObjectLockDays is { } days
            ? (_options.ObjectLockMode == S3RetentionMode.Governance ? ObjectLockMode.Governance : ObjectLockMode.Compliance, _options.Time.GetUtcNow().UtcDateTime.AddDays(days))
            : null;

    private async Task<GetObjectMetadataResponse> HeadAsync(FileHandle handle, CancellationToken cancellationToken) =>
        await RequestAsync(ct => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _location.Bucket, Key = KeyOf(handle) }, ct), "look up", handle, cancellationToken).ConfigureAwait(false);

    private async Task<bool> ExistsAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            await HeadAsync(handle, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (IsNotFound(error))
        {
            return false;
        }
    }

    private async Task<bool> ExistsWithSizeAsync(FileHandle handle, long size, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await HeadAsync(handle, cancellationToken).ConfigureAwait(false);
            return metadata.ContentLength == size
                ? true
                : throw new StorageException($"{handle} already exists in {Location} with another size ({metadata.ContentLength} bytes, not {size})", permanent: true);
        }
        catch (Exception error) when (IsNotFound(error))
        {
            return false;
        }
    }

    /// <summary>Checks once per backend that the bucket has Object Lock; a transient failure of the check is tried again by the next call.</summary>
    private async Task ObjectLockCheckedAsync(CancellationToken cancellationToken)
    {
        Task check;
        lock (_objectLockGate)
        {
            check = _objectLockCheck ??= CheckObjectLockAsync(CancellationToken.None);
        }

        try
        {
            await check.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!IsPermanentError(error) && !cancellationToken.IsCancellationRequested)
        {
            lock (_objectLockGate)
            {
                if (_objectLockCheck == check)
                {
                    _objectLockCheck = null;
                }
            }

            throw;
        }
    }

    private async Task CheckObjectLockAsync(CancellationToken cancellationToken)
    {
        GetObjectLockConfigurationResponse response;
        try
        {
            response = await RequestAsync(ct => _client.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = _location.Bucket }, ct), "read the Object Lock configuration of", cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException error) when (error.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed } s3 && s3.ErrorCode != "NoSuchBucket")
        {
            throw NoObjectLock(error);
        }

        if (response.ObjectLockConfiguration?.ObjectLockEnabled != ObjectLockEnabled.Enabled)
        {
            throw NoObjectLock(null);
        }
    }

    private StorageException NoObjectLock(Exception? inner) =>
        new($"bucket '{_location.Bucket}' at {_location.Endpoint.GetLeftPart(UriPartial.Authority)} does not support Object Lock, so s3.object-lock-days cannot be honoured: create a bucket with Object Lock enabled (it must be enabled when the bucket is created) or leave the option out", inner ?? new InvalidOperationException("Object Lock is not enabled"), permanent: true);

    private Task<T> RequestAsync<T>(Func<CancellationToken, Task<T>> call, string what, FileHandle handle, CancellationToken cancellationToken) =>
        RequestAsync(call, $"{what} {handle} in", cancellationToken);

    private Task RequestAsync(Func<CancellationToken, Task> call, string what, FileHandle handle, CancellationToken cancellationToken) =>
        RequestAsync(async ct => { await call(ct).ConfigureAwait(false); return true; }, $"{what} {handle} in", cancellationToken);

    private Task RequestAsync(Func<CancellationToken, Task> call, string what, CancellationToken cancellationToken) =>
        RequestAsync(async ct => { await call(ct).ConfigureAwait(false); return true; }, what, cancellationToken);

    /// <summary>Runs one request within the connection limit and the timeout; failures become StorageExceptions that keep the SDK's error inside.</summary>
    private async Task<T> RequestAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        await _connections.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                return await call(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
            {
                throw new StorageException($"cannot {what} {Location}: no answer within {_options.RequestTimeout.TotalSeconds:0} s", new TimeoutException(error.Message, error));
            }
            catch (StorageException)
            {
                throw;
            }
            catch (Exception error) when (error is AmazonServiceException or AmazonClientException or HttpRequestException or IOException)
            {
                throw new StorageException($"cannot {what} {Location}: {S3ErrorClassifier.Describe(error)}", error, S3ErrorClassifier.IsPermanent(error));
            }
        }
        finally
        {
            _connections.Release();
        }
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
