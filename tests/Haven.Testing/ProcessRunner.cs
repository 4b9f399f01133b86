// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>Runs programs for tests: argument lists (never a shell string), captured output, a timeout.</summary>
/// <remarks>
/// Arguments and environment values are strings, passed to the child as UTF-8; a name with bytes
/// that are not UTF-8 cannot go through here, so such tests work on directories holding them.
/// </remarks>
public static class ProcessRunner
{
    public static ProcessResult Run(string program, IEnumerable<string> args, ProcessOptions? options = null) =>
        RunAsync(program, args, options, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Like <see cref="Run"/>, but throws when the exit code is not 0.</summary>
    public static ProcessResult RunChecked(string program, IEnumerable<string> args, ProcessOptions? options = null) =>
        RunCheckedAsync(program, args, options, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<ProcessResult> RunAsync(
        string program, IEnumerable<string> args, ProcessOptions? options, CancellationToken cancellationToken)
    {
        options ??= new ProcessOptions();
        using var process = new RunningProcess(program, args, options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            return await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            throw new TimeoutException(
                $"{process.CommandLine} did not finish within {options.Timeout} and was killed\n" +
                $"stdout so far:\n{process.CurrentStdout}\nstderr so far:\n{process.CurrentStderr}");
        }
    }

    public static async Task<ProcessResult> RunCheckedAsync(
        string program, IEnumerable<string> args, ProcessOptions? options, CancellationToken cancellationToken)
    {
        var list = args.ToList();
        var result = await RunAsync(program, list, options, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw new ProcessFailedException(FormatCommandLine(program, list), result);
    }

    /// <summary>Starts a long-running process; the caller waits on it, reads its output or kills it.</summary>
    public static RunningProcess Start(string program, IEnumerable<string> args, ProcessOptions? options = null) =>
        new(program, args, options ?? new ProcessOptions());

    /// <summary>A shell-like rendering of a command, for messages only.</summary>
    public static string FormatCommandLine(string program, IEnumerable<string> args) =>
        string.Join(' ', args.Prepend(program).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:@,+".Contains(c))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
