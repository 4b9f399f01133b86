// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>
/// Runs the haven CLI: the native binary named by HAVEN_TEST_BINARY when it is set (test.sh sets it to
/// ./haven's Native AOT build, the binary users run), otherwise the build next to the test assembly
/// (the test project references src/Haven.Cli, so haven.dll is copied into its output folder) as
/// `dotnet haven.dll args...`. HOME and the XDG base directories point into <see cref="HomeDirectory"/>,
/// so the CLI never reads or writes the real home of whoever runs the tests.
/// </summary>
public sealed class HavenCli
{
    public HavenCli(string? repository, string? password, string homeDirectory,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        HomeDirectory = homeDirectory;
        var env = new Dictionary<string, string?>
        {
            ["HAVEN_REPOSITORY"] = repository,
            ["HAVEN_PASSWORD"] = password,
            // Keys of throwaway repositories need no brute-force resistance; a calibrated 0.5 s per command would add minutes.
            ["HAVEN_KEY_DERIVATION_MS"] = "0",
            ["HOME"] = homeDirectory,
            ["XDG_DATA_HOME"] = Directory.CreateDirectory(Path.Combine(homeDirectory, "data")).FullName,
            ["XDG_CONFIG_HOME"] = Directory.CreateDirectory(Path.Combine(homeDirectory, "config")).FullName,
            ["XDG_CACHE_HOME"] = Directory.CreateDirectory(Path.Combine(homeDirectory, "cache")).FullName,
            ["XDG_STATE_HOME"] = Directory.CreateDirectory(Path.Combine(homeDirectory, "state")).FullName,
        };
        Options = new ProcessOptions { Environment = env }.WithEnvironment(environment ?? new Dictionary<string, string?>());
    }

    /// <summary>haven.dll in the test's output folder; throws when the test project does not reference the CLI.</summary>
    public static string DllPath
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "haven.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"{path} is missing: reference src/Haven.Cli from this test project");
        }
    }

    /// <summary>The native haven binary named by HAVEN_TEST_BINARY, or null when the tests run haven.dll; throws when the variable names no file.</summary>
    public static string? NativeBinary
    {
        get
        {
            string? path = Environment.GetEnvironmentVariable("HAVEN_TEST_BINARY");
            return string.IsNullOrEmpty(path) ? null
                : File.Exists(path) ? Path.GetFullPath(path)
                : throw new InvalidOperationException($"HAVEN_TEST_BINARY names {path}, which does not exist: build it with ./haven version, or unset the variable to run haven.dll");
        }
    }

    /// <summary>The program and leading arguments that run haven: [binary] or [dotnet, haven.dll].</summary>
    public static IReadOnlyList<string> Command => CommandWithHost(DotnetHost);

    /// <summary>
    /// <see cref="Command"/> with the given dotnet host when it runs haven.dll (a caller whose
    /// environment has no PATH to dotnet passes a full path).
    /// </summary>
    public static IReadOnlyList<string> CommandWithHost(string dotnetHost) =>
        NativeBinary is { } binary ? [binary] : [dotnetHost, DllPath];

    /// <summary><see cref="Command"/> as one line for a shell or a script that splits it on spaces.</summary>
    public static string CommandLine => string.Join(' ', Command);

    public string HomeDirectory { get; }

    public ProcessOptions Options { get; }

    public ProcessResult Run(params string[] args) => ProcessRunner.Run(Program, Arguments(args), Options);

    public ProcessResult RunChecked(params string[] args) => ProcessRunner.RunChecked(Program, Arguments(args), Options);

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, byte[]? stdin, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Program, Arguments(args), Options with { Stdin = stdin }, cancellationToken);

    public Task<ProcessResult> RunCheckedAsync(IEnumerable<string> args, byte[]? stdin, CancellationToken cancellationToken) =>
        ProcessRunner.RunCheckedAsync(Program, Arguments(args), Options with { Stdin = stdin }, cancellationToken);

    /// <summary>Starts a long-running command (a backup to kill halfway, the daemon) that the test stops or kills.</summary>
    public RunningProcess Start(params string[] args) => ProcessRunner.Start(Program, Arguments(args), Options);

    /// <summary>
    /// Starts a command that stops itself (SIGSTOP) when it reaches the named moment (HAVEN_STOP_AT, see
    /// StopPoint); <see cref="RunningProcess.WaitUntilStoppedAsync"/> waits for it, and the test kills it there.
    /// </summary>
    public RunningProcess StartStoppingAt(string stopPoint, params string[] args) =>
        ProcessRunner.Start(Program, Arguments(args), Options.WithEnvironment(new Dictionary<string, string?> { ["HAVEN_STOP_AT"] = stopPoint }));

    /// <summary>Starts a command whose stdin is the terminal <paramref name="terminal"/> (a read from it ignores cancellation).</summary>
    public RunningProcess StartOnTerminal(PseudoTerminal terminal, params string[] args) =>
        ProcessRunner.Start("/bin/sh", ["-c", "exec \"$0\" \"$@\" < " + terminal.TerminalPath, Program, .. Arguments(args)], Options);

    /// <summary>Starts a command whose stdin stays open: the test feeds it and closes it (a slow 'backup --stdin').</summary>
    public RunningProcess StartWithOpenStdin(params string[] args) =>
        ProcessRunner.Start(Program, Arguments(args), Options with { KeepStdinOpen = true });

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host : "dotnet";

    private static string Program => Command[0];

    private static IEnumerable<string> Arguments(IEnumerable<string> args) => Command.Skip(1).Concat(args);
}
