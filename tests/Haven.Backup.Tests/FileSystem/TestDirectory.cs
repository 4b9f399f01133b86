// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
namespace Haven.Backup.Tests.FileSystem;

/// <summary>
/// A fresh directory per test. Removal goes through <c>rm -rf</c> because the tests create names
/// that are not UTF-8 and trees deeper than PATH_MAX, which .NET's own APIs cannot delete.
/// </summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = Directory.CreateTempSubdirectory("haven-fs-").FullName;
    }

    public string Path { get; }

    public string this[string name] => Path + "/" + name;

    public void Dispose() => Tool.Run("rm", "-rf", "--", Path);
}
