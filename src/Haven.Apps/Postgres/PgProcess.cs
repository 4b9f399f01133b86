// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Text;

namespace Haven.Apps.Postgres;

/// <summary>
/// A running PostgreSQL client program: stdout and (optionally) stdin are pipes the caller streams
/// through, stderr is collected for the error message. Disposing kills a program that is still
/// running, so an abandoned dump or an unfinished psql session never commits anything.
/// </summary>
public sealed class PgProcess : IAsyncDisposable
{
    private const int StderrLimit = 16 * 1024;

    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly string _what;
    private readonly string _failureNote;
    private int? _exitCode;
    private bool _disposed;

    private PgProcess(Process process, string what, string failureNote)
    {
        _process = process;
        _what = what;
        _failureNote = failureNote;
        _stderr = ReadLimitedAsync(process.StandardError);
    }

    public Stream Stdout => _process.StandardOutput.BaseStream;

    public Stream Stdin => _process.StandardInput.BaseStream;

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>
    /// Starts <paramref name="program"/>. <paramref name="what"/> names the job in messages
    /// ("pg_dump of database app"). The program's environment is this process's own plus
    /// <paramref name="environment"/> (PGPASSWORD from the DSN). <paramref name="failureNote"/> ends the
    /// message of a failure (what it means for the user's data).
    /// </summary>
    public static PgProcess Start(PgProgram program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string what, bool withStdin, string failureNote = "")
    {
        var start = new ProcessStartInfo(program.Path, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = withStdin,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)
            ?? throw new PostgresBackupException(PostgresBackupError.ToolFailed, $"{program.Path} could not be started");
        return new PgProcess(process, what, failureNote);
    }

    /// <summary>Waits for the exit and throws <see cref="PostgresBackupError.ToolFailed"/> with the program's stderr when it failed.</summary>
    public async Task WaitSucceededAsync(CancellationToken cancellationToken)
    {
        int code = await WaitAsync(cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            string stderr = (await _stderr.ConfigureAwait(false)).Trim();
            throw new PostgresBackupException(PostgresBackupError.ToolFailed,
                $"{_what} failed (exit code {code}): {(stderr.Length > 0 ? stderr : "it wrote no message")}{_failureNote}");
        }
    }

    public async Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        if (_exitCode is int known)
        {
            return known;
        }

        try
        {
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
        }

        _exitCode = _process.ExitCode;
        return _process.ExitCode;
    }

    /// <summary>The program's stderr so far (complete once it exited).</summary>
    public Task<string> StderrAsync() => _stderr;

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    /// <summary>Kills the program if it still runs; afterwards <see cref="WaitSucceededAsync"/> still reports how it ended.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            Kill();
        }

        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await ((Task)_stderr).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _exitCode ??= _process.ExitCode;
        _process.Dispose();
    }

    private static async Task<string> ReadLimitedAsync(StreamReader reader)
    {
        // Read everything (a full pipe would stall the program) but keep only the start, where the cause is.
        var kept = new StringBuilder();
        char[] buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < StderrLimit)
            {
                kept.Append(buffer, 0, Math.Min(read, StderrLimit - kept.Length));
            }
        }

        return kept.ToString();
    }
}
