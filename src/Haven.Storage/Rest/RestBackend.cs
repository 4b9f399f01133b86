// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Haven.Format;

namespace Haven.Storage.Rest;

/// <summary>
/// A repository behind restic's REST protocol (rest-server, <c>haven serve</c>). Speaks API v2 and
/// falls back to v1 listings (names only, sizes by HEAD) when the server answers with plain JSON.
/// Each request has its own timeout. Nothing is retried here: 5xx answers, timeouts and network
/// failures are transient errors for a retrying decorator, 4xx answers are permanent.
/// </summary>
public sealed class RestBackend : IBackend
{
    private readonly RestBackendOptions _options;
    private readonly HttpClient _client;

    public RestBackend(RestBackendOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _client = new HttpClient(handler ?? RestHttpHandler.Create(options), disposeHandler: true)
        {
            BaseAddress = options.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (options.Username is not null)
        {
            string pair = $"{options.Username}:{options.Password}";
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
    }

    public string Location => _options.DisplayLocation;

    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "?create=true"), "create the repository", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "create the repository", null).ConfigureAwait(false);
    }

    public async Task SaveAsync(FileHandle handle, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        string what = $"save {handle}";
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, RestProtocol.PathOf(handle)) { Content = new ReadOnlyMemoryContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } } },
            what,
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Forbidden && await HasSizeAsync(handle, content.Length, cancellationToken).ConfigureAwait(false))
        {
            // rest-server never overwrites: a name that exists with this size is this content
            // (names are hashes), typically stored by an earlier attempt whose answer was lost.
            return;
        }

        await EnsureSuccessAsync(response, what, handle).ConfigureAwait(false);
    }

    public async Task<byte[]> LoadAsync(FileHandle handle, long offset, int length, CancellationToken cancellationToken)
    {
        string what = $"load {handle}";
        using var response = await SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, RestProtocol.PathOf(handle));
                if (offset != 0 || length != 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, length == 0 ? null : offset + length - 1);
                }

                return request;
            },
            what,
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            throw new RestRequestException($"cannot {what} from {Location}: the file is shorter than offset {offset}", response.StatusCode, permanent: true);
        }

        await EnsureSuccessAsync(response, what, handle).ConfigureAwait(false);
        byte[] body = await ReadBodyAsync(response, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.OK && offset != 0)
        {
            // A server that ignores Range sends the whole file.
            body = offset > body.Length ? [] : body[(int)offset..];
        }

        if (length != 0 && body.Length > length && response.StatusCode == HttpStatusCode.OK)
        {
            body = body[..length];
        }

        if (length != 0 && body.Length != length)
        {
            throw new RestRequestException($"cannot {what} from {Location}: asked for {length} bytes at offset {offset}, got {body.Length}; the file is shorter", statusCode: null, permanent: true);
        }

        return body;
    }

    public async Task<long> GetSizeAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        string what = $"stat {handle}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, RestProtocol.PathOf(handle)), what, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, what, handle).ConfigureAwait(false);
        return response.Content.Headers.ContentLength
            ?? throw new RestRequestException($"cannot {what} at {Location}: the server sent no Content-Length", statusCode: null, permanent: true);
    }

    public async Task RemoveAsync(FileHandle handle, CancellationToken cancellationToken)
    {
        string what = $"remove {handle}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, RestProtocol.PathOf(handle)), what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new RestRequestException(
                $"the server at {Location} refused to delete {handle} (403 Forbidden): it is an append-only server, which keeps everything but lock files; delete on the server itself, or run this without append-only",
                response.StatusCode,
                permanent: true);
        }

        await EnsureSuccessAsync(response, what, handle).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(FileType type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (type == FileType.Config)
        {
            long size;
            try
            {
                size = await GetSizeAsync(FileHandle.Config, cancellationToken).ConfigureAwait(false);
            }
            catch (RestRequestException error) when (error.IsNotFound)
            {
                yield break;
            }

            yield return new StoredFile("config", size);
            yield break;
        }

        string what = $"list {FileTypeNames.Folder(type)}";
        List<StoredFile> files;
        bool sized;
        using (var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, RestProtocol.ListingPathOf(type)) { Headers = { Accept = { new MediaTypeWithQualityHeaderValue(RestProtocol.ApiV2MediaType) } } },
            what,
            cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(response, what, null).ConfigureAwait(false);
            byte[] body = await ReadBodyAsync(response, what, cancellationToken).ConfigureAwait(false);
            sized = response.Content.Headers.ContentType?.MediaType == RestProtocol.ApiV2MediaType;
            files = ParseListing(body, sized, what);
        }

        foreach (var file in files)
        {
            if (!Id.TryParse(file.Name, out _))
            {
                continue;
            }

            // API v1 lists names only; ask for each size.
            yield return sized ? file : file with { Size = await GetSizeAsync(new FileHandle(type, file.Name), cancellationToken).ConfigureAwait(false) };
        }
    }

    public bool IsNotFound(Exception error) => error is RestRequestException { IsNotFound: true };

    public bool IsPermanentError(Exception error) => error is StorageException { IsPermanent: true };

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private List<StoredFile> ParseListing(byte[] body, bool sized, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var files = new List<StoredFile>();
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                files.Add(sized
                    ? new StoredFile(entry.GetProperty("name").GetString() ?? string.Empty, entry.GetProperty("size").GetInt64())
                    : new StoredFile(entry.GetString() ?? string.Empty, 0));
            }

            return files;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new RestRequestException($"cannot {what} at {Location}: the server's answer is not a restic REST listing ({error.Message})", statusCode: null, permanent: true);
        }
    }

    private async Task<bool> HasSizeAsync(FileHandle handle, long size, CancellationToken cancellationToken)
    {
        try
        {
            return await GetSizeAsync(handle, cancellationToken).ConfigureAwait(false) == size;
        }
        catch (RestRequestException)
        {
            return false;
        }
    }

    /// <summary>Sends one request under its own timeout; network failures and timeouts become transient errors.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var message = request();
        try
        {
            return await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RestRequestException($"cannot {what} at {Location}: no answer within {_options.RequestTimeout.TotalSeconds:0} s", error);
        }
        catch (HttpRequestException error) when (error.HttpRequestError == HttpRequestError.SecureConnectionError && error.InnerException is System.Security.Authentication.AuthenticationException refusal)
        {
            // An untrusted certificate stays untrusted: trying again only delays the message.
            throw new RestRequestException(
                $"cannot {what} at {Location}: the server's TLS certificate is not trusted ({refusal.Message}); if it comes from a private CA, name the CA's PEM file with -o rest.ca=FILE or HAVEN_REST_CA",
                error,
                permanent: true);
        }
        catch (HttpRequestException error)
        {
            throw new RestRequestException($"cannot {what} at {Location}: {error.Message}", error);
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RestRequestException($"cannot {what} at {Location}: the answer did not arrive within {_options.RequestTimeout.TotalSeconds:0} s", error);
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            throw new RestRequestException($"cannot {what} at {Location}: the connection broke while reading the answer ({error.Message})", error);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, FileHandle? handle)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = response.StatusCode;
        string detail = await ReadErrorTextAsync(response).ConfigureAwait(false);
        string message = status switch
        {
            HttpStatusCode.NotFound when handle is not null => $"{handle} does not exist at {Location}",
            HttpStatusCode.NotFound => $"cannot {what}: there is no repository at {Location} (404 Not Found)",
            HttpStatusCode.Unauthorized => $"the server at {Location} refused the credentials (401 Unauthorized): give user:password in the URL or set HAVEN_REST_USERNAME and HAVEN_REST_PASSWORD",
            HttpStatusCode.Forbidden => $"the server at {Location} refused to {what} (403 Forbidden){detail}",
            _ => $"cannot {what} at {Location}: {(int)status} {response.ReasonPhrase}{detail}",
        };
        throw new RestRequestException(message, status, permanent: (int)status < 500 && status != HttpStatusCode.RequestTimeout && status != HttpStatusCode.TooManyRequests);
    }

    private static async Task<string> ReadErrorTextAsync(HttpResponseMessage response)
    {
        try
        {
            string text = (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Trim();
            return text.Length is > 0 and < 300 && !text.Contains('\n', StringComparison.Ordinal) ? $": {text}" : string.Empty;
        }
        catch (Exception error) when (error is HttpRequestException or IOException)
        {
            return string.Empty;
        }
    }
}
