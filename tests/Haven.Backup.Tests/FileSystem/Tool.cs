// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;

namespace Haven.Backup.Tests.FileSystem;

/// <summary>Runs a command-line tool and returns its standard output. A missing tool or a
/// non-zero exit fails the test.</summary>
public static class Tool
{
    public static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}");
        return output;
    }

    /// <summary>Runs a Python 3 snippet; sys.argv[1:] are the given arguments.</summary>
    public static string Python(string script, params string[] arguments) =>
        Run("python3", ["-c", script, .. arguments]);

    /// <summary><c>stat -c FORMAT</c> on one path without following symlinks, trimmed.</summary>
    public static string Stat(string format, string path) => Run("stat", "-c", format, "--", path).TrimEnd('\n');
}
