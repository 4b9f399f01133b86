// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>
/// The real restic binary bound to one repository. RESTIC_REPOSITORY and RESTIC_PASSWORD are set
/// in the child's environment only; without a cache directory every command runs with --no-cache,
/// so tests never touch ~/.cache.
/// </summary>
public sealed class Restic
{
    public const string ProgramPath = "/usr/bin/restic";
    public const string DefaultPassword = "haven-test-password";

    private readonly string? _cacheDirectory;

    public Restic(string repository, string password = DefaultPassword, string? cacheDirectory = null)
    {
        Repository = repository;
        Password = password;
        _cacheDirectory = cacheDirectory;
        Options = new ProcessOptions
        {
            Environment = new Dictionary<string, string?>
            {
                ["RESTIC_REPOSITORY"] = repository,
                ["RESTIC_PASSWORD"] = password,
                ["RESTIC_REPOSITORY_FILE"] = null,
                ["RESTIC_PASSWORD_FILE"] = null,
                ["RESTIC_PASSWORD_COMMAND"] = null,
                ["RESTIC_CACHE_DIR"] = cacheDirectory,
                ["RESTIC_COMPRESSION"] = null,
                ["RESTIC_PACK_SIZE"] = null,
            },
        };
    }

    public string Repository { get; }

    public string Password { get; }

    /// <summary>The environment and timeout every command runs with; pass to ProcessRunner for stdin.</summary>
    public ProcessOptions Options { get; }

    /// <summary>Throws unless /usr/bin/restic exists.</summary>
    public static void EnsureInstalled()
    {
        if (!File.Exists(ProgramPath))
        {
            throw new InvalidOperationException("restic is not installed: run ./test.sh, which installs it");
        }
    }

    public ProcessResult Run(params string[] args) => ProcessRunner.Run(ProgramPath, Arguments(args), Options);

    public ProcessResult RunChecked(params string[] args) => ProcessRunner.RunChecked(ProgramPath, Arguments(args), Options);

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(ProgramPath, Arguments(args), Options, cancellationToken);

    public Task<ProcessResult> RunCheckedAsync(IEnumerable<string> args, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(ProgramPath, Arguments(args), Options, cancellationToken);

    /// <summary>Starts a long-running restic command (for example mount) that the test stops or kills.</summary>
    public RunningProcess Start(params string[] args) => ProcessRunner.Start(ProgramPath, Arguments(args), Options);

    /// <summary>The full argument list for <paramref name="args"/>, with the global flags this runner adds.</summary>
    public IReadOnlyList<string> Arguments(IEnumerable<string> args)
    {
        EnsureInstalled();
        return _cacheDirectory is null ? ["--no-cache", .. args] : [.. args];
    }
}
