// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Haven.Cli.Commands;

/// <summary>haven serve: a repository server speaking restic's REST protocol, until interrupted.</summary>
internal static class ServeCommand
{
    public static Command Create(GlobalOptions options)
    {
        var listen = new Option<string>("--listen") { Description = "Address to listen on (host:port; :port for every interface; port 0 picks a free one)", DefaultValueFactory = _ => "127.0.0.1:8000" };
        var path = new Option<string>("--path") { Description = "Folder holding the repositories (the one at / and any below it)", Required = true };
        var appendOnly = new Option<bool>("--append-only") { Description = "Refuse every delete except of lock files, and any overwrite" };
        var htpasswd = new Option<string?>("--htpasswd") { Description = "Require HTTP basic authentication against this htpasswd file (bcrypt entries: htpasswd -B)" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve HTTPS with this PEM certificate (needs --tls-key)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
        var privateRepos = new Option<bool>("--private-repos") { Description = "Each user may only use the repositories below /<user>/ (needs --htpasswd)" };
        var noVerifyUpload = new Option<bool>("--no-verify-upload") { Description = "Do not check that an upload's SHA-256 matches its name" };
        var command = new Command("serve", "Serve repositories over restic's REST protocol") { listen, path, appendOnly, htpasswd, tlsCert, tlsKey, privateRepos, noVerifyUpload };
        command.SetBody(options, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            if ((parse.GetValue(tlsCert) is null) != (parse.GetValue(tlsKey) is null))
            {
                throw new UsageException("--tls-cert and --tls-key go together: give both, or neither");
            }

            if (parse.GetValue(privateRepos) && parse.GetValue(htpasswd) is null)
            {
                throw new UsageException("--private-repos needs --htpasswd: users must log in to have repositories of their own");
            }

            ServerOptions serverOptions;
            RepositoryServer server;
            try
            {
                serverOptions = new ServerOptions
                {
                    Listen = ServerOptions.ParseListen(parse.GetValue(listen)!),
                    RootPath = Path.GetFullPath(parse.GetValue(path)!),
                    AppendOnly = parse.GetValue(appendOnly),
                    HtpasswdFile = parse.GetValue(htpasswd),
                    TlsCertificateFile = parse.GetValue(tlsCert),
                    TlsKeyFile = parse.GetValue(tlsKey),
                    PrivateRepositories = parse.GetValue(privateRepos),
                    VerifyUploads = !parse.GetValue(noVerifyUpload),
                };
                server = await RepositoryServer.StartAsync(serverOptions, ConfigureLogging, cancellationToken);
            }
            catch (ArgumentException error)
            {
                throw new UsageException(error.Message);
            }

            await using (server)
            {
                if (!context.Quiet)
                {
                    context.Printer.Line($"serving {serverOptions.RootPath} at {server.Address.AbsoluteUri}{(serverOptions.AppendOnly ? " (append-only)" : string.Empty)}");
                }

                await server.WaitForShutdownAsync(cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    // Requests the server refuses (401, 403) and its failures go to stderr, one line each.
    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ssK ";
            console.UseUtcTimestamp = true;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
