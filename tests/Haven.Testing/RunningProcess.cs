// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Text;

namespace Haven.Testing;

/// <summary>
/// A child process that is still running. Its output is collected as it arrives, so a test can
/// wait on it (<see cref="CurrentStdout"/> with <see cref="Wait.Until"/>), and crash tests can
/// <see cref="Kill"/> it at a moment of their choosing. Disposing kills it if it is still running.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private readonly Task _pumps;
    private readonly Task _feed;

    internal RunningProcess(string program, IEnumerable<string> args, ProcessOptions options)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? string.Empty,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        CommandLine = ProcessRunner.FormatCommandLine(program, info.ArgumentList);
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {CommandLine}");
        _feed = FeedAsync(_process.StandardInput.BaseStream, options.Stdin, options.KeepStdinOpen);
        _pumps = Task.WhenAll(
            PumpAsync(_process.StandardOutput.BaseStream, _stdout),
            PumpAsync(_process.StandardError.BaseStream, _stderr),
            _feed);
    }

    public int Id => _process.Id;

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Whether the process is stopped by a signal (state T in /proc/PID/stat), as HAVEN_STOP_AT leaves it.</summary>
    public bool IsStopped
    {
        get
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
                // The command name in parentheses may hold spaces or parentheses; the state follows the last ')'.
                return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T');
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Waits until the process has stopped itself at a HAVEN_STOP_AT moment; throws, with its output,
    /// when it exits first (it never reached <paramref name="moment"/>) or the deadline passes.
    /// </summary>
    public async Task WaitUntilStoppedAsync(string moment, TimeSpan deadline, CancellationToken cancellationToken)
    {
        await Wait.UntilAsync(() => IsStopped || HasExited, deadline, $"{CommandLine} to stop at {moment}", cancellationToken).ConfigureAwait(false);
        if (!IsStopped)
        {
            throw new InvalidOperationException($"{CommandLine} exited ({_process.ExitCode}) without reaching {moment}:\n{CurrentStdout}{CurrentStderr}");
        }
    }

    /// <summary>Standard output received so far, decoded as UTF-8.</summary>
    public string CurrentStdout => Snapshot(_stdout);

    /// <summary>Standard error received so far.</summary>
    public string CurrentStderr => Snapshot(_stderr);

    /// <summary>Writes more to stdin (started with <see cref="ProcessOptions.KeepStdinOpen"/>).</summary>
    public async Task WriteStdinAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _feed.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.BaseStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.BaseStream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes stdin (started with <see cref="ProcessOptions.KeepStdinOpen"/>): the child reads end of file.</summary>
    public async Task CloseStdinAsync(CancellationToken cancellationToken)
    {
        await _feed.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.BaseStream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the process (and any children) with SIGKILL, as a crash or power cut would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Waits for the process to exit and for all of its output.</summary>
    public async Task<ProcessResult> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _pumps.WaitAsync(cancellationToken).ConfigureAwait(false);
        byte[] stdout = SnapshotBytes(_stdout);
        return new ProcessResult(_process.ExitCode, stdout, Encoding.UTF8.GetString(stdout), CurrentStderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static async Task PumpAsync(Stream from, MemoryStream to)
    {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (to)
            {
                to.Write(buffer, 0, read);
            }
        }
    }

    private static async Task FeedAsync(Stream stdin, byte[]? bytes, bool keepOpen)
    {
        try
        {
            if (bytes is not null)
            {
                await stdin.WriteAsync(bytes).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
            }

            if (!keepOpen)
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The child exited (or closed stdin) without reading all of it: a broken pipe is
            // its choice to make, and its exit code tells the test what happened.
        }
    }

    private static byte[] SnapshotBytes(MemoryStream stream)
    {
        lock (stream)
        {
            return stream.ToArray();
        }
    }

    private static string Snapshot(MemoryStream stream) => Encoding.UTF8.GetString(SnapshotBytes(stream));
}
