// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>The fstree kit catches every kind of difference a restore could introduce, and names the path.</summary>
public sealed class FileTreeTests(GeneratedTreeFixture original) : IClassFixture<GeneratedTreeFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("copy");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Tree_compared_with_itself_is_identical()
    {
        FileTree.AssertIdentical(original.Path, original.Path, "--atime", "--sparse");
    }

    [Fact]
    public void Two_trees_from_one_seed_are_identical_including_atimes()
    {
        string copy = Copy();
        FileTree.AssertIdentical(original.Path, copy, "--atime", "--sparse");

        var result = FileTree.Compare(original.Path, copy, "--atime", "--sparse");
        Assert.Matches(@"^identical: \d{2,} entries\n$", result.Stdout);
    }

    [Fact]
    public void Trees_from_different_seeds_differ()
    {
        string other = _temp.Combine("seed2");
        FileTree.Generate(other, seed: 2);

        var result = FileTree.Compare(original.Path, other);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("b'files/big.bin': content differs (SHA-256)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void One_changed_byte_is_reported_as_content_of_that_file()
    {
        AssertOnlyDifference(
            """
            fd = os.open(p, os.O_RDWR); b = os.pread(fd, 1, 5_000_000); os.pwrite(fd, bytes([b[0] ^ 1]), 5_000_000); os.close(fd)
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
            """,
            "files/big.bin",
            "b'files/big.bin': content differs (SHA-256)");
    }

    [Fact]
    public void Lost_setuid_bit_is_reported_as_mode()
    {
        AssertOnlyDifference("os.chmod(p, 0o755)", "modes/setuid", "b'modes/setuid': mode 0o4755 != 0o755");
    }

    [Fact]
    public void Symlink_mtime_off_by_one_nanosecond_is_reported()
    {
        string copy = Copy();
        long mtime = MtimeNs(copy, "links/relative");
        Mutate(copy, "os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1), follow_symlinks=False)", "links/relative");

        var result = FileTree.Compare(original.Path, copy);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"b'links/relative': mtime_ns {mtime} != {mtime + 1}\n", result.Stdout);
    }

    [Fact]
    public void Missing_empty_xattr_is_reported()
    {
        AssertOnlyDifference(
            "os.removexattr(p, 'user.empty')", "xattrs/file", "b'xattrs/file': xattr b'user.empty' missing in B");
    }

    [Fact]
    public void Hardlink_replaced_by_a_copy_is_reported_for_each_name()
    {
        string copy = Copy();
        Mutate(copy, """
            data = open(p, 'rb').read(); os.unlink(p)
            open(p, 'wb').write(data); os.chmod(p, st.st_mode & 0o7777)
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
            """, "hardlinks/a/two");

        var result = FileTree.Compare(original.Path, copy);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("b'hardlinks/a/two': hard links differ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("b'hardlinks/one': hard links differ", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("content", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_entry_is_reported_and_can_be_ignored()
    {
        string copy = Copy();
        Mutate(copy, "os.unlink(p)", "special/fifo");

        var result = FileTree.Compare(original.Path, copy);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("b'special/fifo': missing in B\n", result.Stdout);
        FileTree.AssertIdentical(original.Path, copy, "--ignore", "special");
    }

    private string Copy()
    {
        string copy = _temp.Combine("b");
        FileTree.Generate(copy, seed: 1);
        return copy;
    }

    private void AssertOnlyDifference(string mutation, string path, string expected)
    {
        string copy = Copy();
        Mutate(copy, mutation, path);

        var result = FileTree.Compare(original.Path, copy);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected + "\n", result.Stdout);
    }

    /// <summary>
    /// Runs a Python snippet on one entry of <paramref name="root"/> with p (its path) and st (its
    /// lstat) defined, then puts back the times of the entry's directory, so only what the snippet
    /// meant to change differs.
    /// </summary>
    private static void Mutate(string root, string snippet, string path)
    {
        string script = string.Join('\n',
            "import os, sys",
            "p = sys.argv[1]; d = os.path.dirname(p); st = os.lstat(p); dst = os.stat(d)",
            snippet,
            "os.utime(d, ns=(dst.st_atime_ns, dst.st_mtime_ns))");
        ProcessRunner.RunChecked("python3", ["-c", script, Path.Combine(root, path)]);
    }

    private static long MtimeNs(string root, string path) =>
        long.Parse(ProcessRunner.RunChecked("python3", ["-c", "import os, sys; print(os.lstat(sys.argv[1]).st_mtime_ns)", Path.Combine(root, path)]).Stdout,
            System.Globalization.CultureInfo.InvariantCulture);
}
