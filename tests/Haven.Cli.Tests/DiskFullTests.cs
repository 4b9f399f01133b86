// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>A repository on a file system that fills up during a backup.</summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TempDirectory _temp = new("diskfull");
    private readonly string _mount;

    public DiskFullTests()
    {
        _mount = _temp.CreateSubdirectory("small");
        ProcessRunner.RunChecked("mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", _mount]);
    }

    public void Dispose()
    {
        ProcessRunner.Run("umount", ["-l", _mount]);
        _temp.Dispose();
    }

    [Fact]
    public void A_full_disk_fails_the_backup_clearly_and_leaves_the_repository_valid()
    {
        string repository = Path.Combine(_mount, "repo");
        var haven = new HavenCli(repository, "pw", _temp.CreateSubdirectory("home"));
        haven.RunChecked("init");

        string small = _temp.CreateSubdirectory("small-source");
        File.WriteAllText(Path.Combine(small, "a.txt"), "first snapshot");
        haven.RunChecked("backup", small);

        // Incompressible data larger than the file system: the pack upload must hit ENOSPC.
        string big = _temp.CreateSubdirectory("big-source");
        File.WriteAllBytes(Path.Combine(big, "random.bin"), RandomNumberGenerator.GetBytes(12 << 20));
        var failed = haven.Run("backup", big);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("no space left", failed.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", failed.Stderr, StringComparison.Ordinal);

        // The first snapshot is intact and the repository passes restic's own check.
        var restic = new Restic(repository, "pw");
        restic.RunChecked("unlock");
        restic.RunChecked("check", "--read-data");
        string target = _temp.CreateSubdirectory("restored");
        haven.RunChecked("restore", "latest", "--target", target);
        Assert.Equal("first snapshot", File.ReadAllText(Path.Combine(target, small.TrimStart('/'), "a.txt")));
    }
}
