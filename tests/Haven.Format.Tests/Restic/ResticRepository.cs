// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;

namespace Haven.Format.Tests.Restic;

/// <summary>
/// A throwaway restic 0.14 repository in its own temp directory. The password and repository
/// are set in the child's environment only. A missing restic binary fails the test.
/// </summary>
internal sealed class ResticRepository : IDisposable
{
    private const string Password = "haven-test-password";

    public ResticRepository()
    {
        Root = Directory.CreateTempSubdirectory("haven-restic-").FullName;
        RepositoryPath = Path.Combine(Root, "repo");
        Run("init");
    }

    public string Root { get; }

    public string RepositoryPath { get; }

    public byte[] Run(params string[] arguments) => RunTool("/usr/bin/restic", arguments, RepositoryPath);

    public static byte[] RunTool(string program, string[] arguments, string? repository = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (repository is not null)
        {
            start.Environment["RESTIC_PASSWORD"] = Password;
            start.Environment["RESTIC_REPOSITORY"] = repository;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        using var stdout = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(stdout);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        }

        return stdout.ToArray();
    }

    public void Dispose()
    {
        // .NET cannot name files whose names are not UTF-8, so let rm remove the source tree.
        RunTool("rm", ["-rf", "--", Root]);
    }
}
