// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Haven.Server;

/// <summary>
/// A repository server speaking restic's REST protocol, so restic's client and Haven's both use it.
/// Its repositories are ordinary local repositories below <see cref="ServerOptions.RootPath"/>.
/// The CLI's <c>haven serve</c> runs one; tests host one on a loopback port.
/// </summary>
public sealed class RepositoryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RepositoryServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address the server listens on, with the port it actually got, ending in '/'.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening; <paramref name="configureLogging"/> adds log providers (none: silent).</summary>
    public static async Task<RepositoryServer> StartAsync(ServerOptions options, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(options.RootPath))
        {
            Directory.CreateDirectory(options.RootPath);
        }

        var authenticator = options.HtpasswdFile is null ? null : new Authenticator(Htpasswd.Load(options.HtpasswdFile));
        var certificate = LoadCertificate(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.RootPath });
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Listen, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Haven.Server");
        var router = new RequestRouter(new ServerContext(options, new RepositoryStore(options.RootPath), logger), authenticator);
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var address = new Uri(bound.TrimEnd('/') + "/");
        LogMessages.Serving(logger, Path.GetFullPath(options.RootPath), address.AbsoluteUri, options.AppendOnly, authenticator is not null, options.PrivateRepositories);
        return new RepositoryServer(app, address);
    }

    /// <summary>Completes when the server stops: <paramref name="cancellationToken"/> fired, or the host was told to stop.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Either way the server is stopping, which is what the caller waits for.
        }

        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static X509Certificate2? LoadCertificate(ServerOptions options)
    {
        if (options.TlsCertificateFile is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(options.TlsCertificateFile, options.TlsKeyFile);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ArgumentException($"cannot load the TLS certificate {options.TlsCertificateFile} with key {options.TlsKeyFile}: {error.Message}", error);
        }
    }
}
