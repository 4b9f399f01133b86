// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.CommandLine;
using Haven.Backup.FileSystem;
using Haven.Cli.Output;
using Haven.Format.Crypto;
using Haven.Repository;

namespace Haven.Cli;

/// <summary>What one command invocation knows: its parsed options, how to print, and how to reach the repository.</summary>
internal sealed class CliContext
{
    public CliContext(ParseResult parseResult, GlobalOptions options)
    {
        ParseResult = parseResult;
        Json = parseResult.GetValue(options.Json);
        Quiet = parseResult.GetValue(options.Quiet);
        Verbose = parseResult.GetValue(options.Verbose);
        PasswordFile = parseResult.GetValue(options.PasswordFile);
        Locator = RepositoryLocator.Resolve(parseResult.GetValue(options.Repository), BackendOptions.Parse(parseResult.GetValue(options.BackendOptions)));
        NoCache = parseResult.GetValue(options.NoCache);
        Printer = new Printer(Json, Quiet);
    }

    public ParseResult ParseResult { get; }

    public bool Json { get; }

    public bool Quiet { get; }

    public bool Verbose { get; }

    public string? PasswordFile { get; }

    public bool NoCache { get; }

    public RepositoryLocator Locator { get; }

    public Printer Printer { get; }

    public LocalFileSystem FileSystem { get; } = new();

    public RepositoryOptions RepositoryOptions => new()
    {
        Identity = PosixIdentity.Current(FileSystem.HostName),
        CacheDirectory = Locator.IsRemote && !NoCache ? RepositoryLocator.CacheDirectory : null,
        CalibrateKeyParameters = () => ScryptParameters.Calibrate(KeyDerivationTarget(), ProcessCpuClock.Instance),
    };

    /// <summary>
    /// How long deriving a key from a new password should take, as restic calibrates it (0.5 s): the
    /// cost an attacker pays per guess. HAVEN_KEY_DERIVATION_MS lowers it for throwaway repositories (tests).
    /// </summary>
    private static TimeSpan KeyDerivationTarget() =>
        int.TryParse(Environment.GetEnvironmentVariable("HAVEN_KEY_DERIVATION_MS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int milliseconds)
            ? TimeSpan.FromMilliseconds(milliseconds)
            : TimeSpan.FromMilliseconds(500);

    public async Task<Repository.Repository> OpenRepositoryAsync(CancellationToken cancellationToken)
    {
        var backend = Locator.CreateBackend();
        if (!await Repository.Repository.ExistsAsync(backend, cancellationToken).ConfigureAwait(false))
        {
            string hint = Locator.IsEmbedded ? "'haven backup PATH' creates the embedded repository" : "create it with 'haven init'";
            throw new Repository.Errors.RepositoryNotFoundException($"there is no repository at {backend.Location}: check --repo, or {hint}");
        }

        string password = PasswordSource.Get(PasswordFile, Locator);
        return await Repository.Repository.OpenAsync(backend, password, RepositoryOptions, cancellationToken).ConfigureAwait(false);
    }
}
