// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Haven.Apps.Hooks;

/// <summary>
/// Runs a hook as <c>setsid /bin/sh -c COMMAND</c>: the shell leads a process group of its own, so
/// when its time runs out (or the backup is cancelled) everything it started is killed with it, not
/// just the shell. Its output is handed on line by line; it gets no standard input.
/// </summary>
public sealed partial class HookRunner
{
    private const int StandardErrorTailLines = 10;
    private const int SigKill = 9;

    // After the shell exits, a child it left in the background may still hold the output pipes open;
    // this long is given for them to close before the group is killed.
    private static readonly TimeSpan s_drainGrace = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly Action<HookOutputLine>? _onOutput;

    public HookRunner(TimeProvider time, Action<HookOutputLine>? onOutput)
    {
        _time = time;
        _onOutput = onOutput;
    }

    /// <summary>Runs <paramref name="hook"/> with extra <paramref name="environment"/> variables; cancellation kills it and throws.</summary>
    public async Task<HookResult> RunAsync(HookCommand hook, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["--wait", "/bin/sh", "-c", hook.CommandLine])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {hook.Name} '{hook.CommandLine}'");
        process.StandardInput.Close();
        var tail = new Queue<string>();
        var output = Task.WhenAll(
            PumpAsync(process.StandardOutput, hook.Name, "stdout", null),
            PumpAsync(process.StandardError, hook.Name, "stderr", tail));

        using var deadline = new CancellationTokenSource(hook.Timeout, _time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        bool exited = await CompletesAsync(process.WaitForExitAsync(limit.Token)).ConfigureAwait(false);
        if (!exited)
        {
            KillGroup(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (!await CompletesAsync(output.WaitAsync(s_drainGrace, _time, limit.Token)).ConfigureAwait(false))
        {
            KillGroup(process);
            await CompletesAsync(output.WaitAsync(s_drainGrace, _time, CancellationToken.None)).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        string[] lines;
        lock (tail)
        {
            lines = [.. tail];
        }

        return new HookResult(exited ? process.ExitCode : -1, !exited, lines);
    }

    private async Task PumpAsync(StreamReader reader, string hook, string stream, Queue<string>? tail)
    {
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            _onOutput?.Invoke(new HookOutputLine(hook, stream, line));
            if (tail is not null)
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > StandardErrorTailLines)
                    {
                        tail.Dequeue();
                    }
                }
            }
        }
    }

    private static async Task<bool> CompletesAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is OperationCanceledException or TimeoutException)
        {
            return false;
        }
    }

    private static void KillGroup(Process process)
    {
        // setsid execs the shell in place (its parent is not a group leader), so the shell's pid is the group's id.
        if (kill(-process.Id, SigKill) != 0)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It has exited already.
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
