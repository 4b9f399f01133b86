// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Testing;

/// <summary>
/// A fresh directory under /tmp/haven-tests/, removed with everything in it on dispose. Removal
/// goes through rm -rf, because .NET's recursive delete fails on paths longer than PATH_MAX and
/// mangles names that are not UTF-8.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public const string Root = "/tmp/haven-tests";

    private bool _disposed;

    public TempDirectory(string prefix = "t")
    {
        // A random name: two test processes running at once never share a directory.
        Path = System.IO.Path.Combine(Root, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The path of <paramref name="relative"/> inside this directory (nothing is created).</summary>
    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Creates (if needed) and returns a subdirectory.</summary>
    public string CreateSubdirectory(string relative) => Directory.CreateDirectory(Combine(relative)).FullName;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ProcessRunner.RunChecked("rm", ["-rf", "--one-file-system", "--", Path]);
    }
}
