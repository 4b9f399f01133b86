// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Diagnostics;
using Haven.Format.Crypto;

namespace Haven.Format.Tests.Interop;

/// <summary>
/// A restic 0.14 repository in its own temp directory, driven through /usr/bin/restic. The password and
/// repository path go into the child's environment only.
/// </summary>
public sealed class ResticRepository : IDisposable
{
    public const string ResticPath = "/usr/bin/restic";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    private ResticRepository(string root, string password)
    {
        Root = root;
        Password = password;
    }

    public string Root { get; }

    public string Path => System.IO.Path.Combine(Root, "repo");

    public string Password { get; }

    public static ResticRepository Init(string password)
    {
        Assert.True(File.Exists(ResticPath), $"restic is required at {ResticPath} (apt-get install restic)");
        var repository = new ResticRepository(Directory.CreateTempSubdirectory("haven-restic-").FullName, password);
        repository.RunAs(password, "init");
        return repository;
    }

    public MasterKey OpenMasterKey()
    {
        string keyPath = Assert.Single(Directory.GetFiles(System.IO.Path.Combine(Path, "keys")));
        Assert.True(KeyFile.Parse(File.ReadAllBytes(keyPath)).TryOpen(Password, out MasterKey? key), "restic's key file must open with its password");
        return key;
    }

    public string Run(params string[] arguments) => RunAs(Password, arguments);

    public string RunAs(string password, params string[] arguments)
    {
        var start = new ProcessStartInfo(ResticPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("RESTIC_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["RESTIC_PASSWORD"] = password;
        start.Environment["RESTIC_REPOSITORY"] = Path;
        start.ArgumentList.Add("--no-cache");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("restic did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        process.WaitForExitAsync(timeout.Token).GetAwaiter().GetResult();
        Assert.True(process.ExitCode == 0, $"restic {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}");
        return output.Result;
    }

    public void Dispose()
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(path, File.GetAttributes(path) & ~FileAttributes.ReadOnly);
        }

        Directory.Delete(Root, recursive: true);
    }
}
