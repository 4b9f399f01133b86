// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;

namespace Haven.Cli;

/// <summary>--from-repo and --from-password-file: the other repository that copy and init read from.</summary>
internal sealed class SourceRepositoryOptions
{
    public Option<string?> Repository { get; } = new("--from-repo") { Description = "Source repository to copy snapshots (or chunker parameters) from (default: $HAVEN_FROM_REPOSITORY)" };

    public Option<string?> PasswordFile { get; } = new("--from-password-file") { Description = "File with the source repository's password (default: $HAVEN_FROM_PASSWORD_FILE, then $HAVEN_FROM_PASSWORD)" };

    public void AddTo(Command command)
    {
        command.Add(Repository);
        command.Add(PasswordFile);
    }

    /// <summary>True when a source repository was named by flag or environment.</summary>
    public bool IsGiven(ParseResult result) => Location(result) is not null;

    public async Task<Haven.Repository.Repository> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        string location = Location(context.ParseResult)
            ?? throw new UsageException("no source repository: give --from-repo PATH or set HAVEN_FROM_REPOSITORY");
        var backend = new RepositoryLocator(location, IsEmbedded: false) { BackendOptions = context.Locator.BackendOptions }.CreateBackend();
        if (!await Haven.Repository.Repository.ExistsAsync(backend, cancellationToken).ConfigureAwait(false))
        {
            throw new Haven.Repository.Errors.RepositoryNotFoundException($"there is no source repository at {backend.Location}: check --from-repo");
        }

        return await Haven.Repository.Repository.OpenAsync(backend, Password(context.ParseResult), context.RepositoryOptions, cancellationToken).ConfigureAwait(false);
    }

    private string? Location(ParseResult result) =>
        NonEmpty(result.GetValue(Repository)) ?? NonEmpty(Environment.GetEnvironmentVariable("HAVEN_FROM_REPOSITORY"));

    private string Password(ParseResult result)
    {
        string? file = NonEmpty(result.GetValue(PasswordFile)) ?? NonEmpty(Environment.GetEnvironmentVariable("HAVEN_FROM_PASSWORD_FILE"));
        return file is not null
            ? PasswordSource.ReadFile(file)
            : NonEmpty(Environment.GetEnvironmentVariable("HAVEN_FROM_PASSWORD"))
                ?? throw new UsageException("no password for the source repository: give --from-password-file, or set HAVEN_FROM_PASSWORD_FILE or HAVEN_FROM_PASSWORD");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
