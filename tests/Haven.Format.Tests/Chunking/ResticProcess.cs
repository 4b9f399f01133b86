// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;

namespace Haven.Format.Tests.Chunking;

/// <summary>
/// Runs the real restic binary against one repository. The password and repository reach the
/// child's environment only; a missing binary or a failing command fails the test.
/// </summary>
internal sealed class ResticProcess(string workingDirectory, string repository, string password)
{
    private const string Binary = "/usr/bin/restic";
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    public async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--no-cache");
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("RESTIC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["RESTIC_REPOSITORY"] = repository;
        start.Environment["RESTIC_PASSWORD"] = password;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"restic {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
        }

        return output;
    }
}
