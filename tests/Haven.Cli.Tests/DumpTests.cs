// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Testing;

namespace Haven.Cli.Tests;

/// <summary>haven dump: a file's bytes, or a folder as a tar stream that tar extracts faithfully.</summary>
public sealed class DumpTests(GeneratedTreeFixture tree) : IClassFixture<GeneratedTreeFixture>
{
    [Fact]
    public void Dump_of_a_file_and_of_a_folder_reproduces_the_source()
    {
        using var repo = new CliRepository();
        repo.Backup(tree.Path);

        byte[] file = repo.Cli.RunChecked("dump", "latest", Path.Combine(tree.Path, "files", "100k.bin")).StdoutBytes;
        Assert.Equal(File.ReadAllBytes(Path.Combine(tree.Path, "files", "100k.bin")), file);

        string tarFile = repo.Temp.Combine("dump.tar");
        var dump = repo.Cli.RunChecked("dump", "latest", tree.Path);
        File.WriteAllBytes(tarFile, dump.StdoutBytes);
        string extracted = repo.Temp.CreateSubdirectory("extracted");
        // GNU tar cannot create paths longer than PATH_MAX, so the tree's long/ branch stays out of this check.
        ProcessRunner.RunChecked("tar", ["-x", "--exclude=long", "--xattrs", "--xattrs-include=*", "--same-owner", "--numeric-owner", "-p", "-f", tarFile, "-C", extracted]);
        // The tar holds the folder under its path in the snapshot, without the leading '/'. A tar
        // header keeps mtimes only to 100 ns and link targets only as UTF-8, so this compares the
        // entries and the file contents rather than every attribute.
        string root = extracted + tree.Path;
        Assert.Equal(Entries(tree.Path), Entries(root));
        foreach (string relative in new[] { "files/small.txt", "files/100k.bin", "files/sparse.bin", "hardlinks/a/two", "nested/a/b/c/deep.txt" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(tree.Path, relative)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(root, relative))), relative);
        }

        Assert.Equal(File.GetUnixFileMode(Path.Combine(tree.Path, "modes/setuid")), File.GetUnixFileMode(Path.Combine(root, "modes/setuid")));
        Assert.Equal("../files/small.txt", new FileInfo(Path.Combine(root, "links/relative")).LinkTarget);
    }

    private static List<string> Entries(string root) =>
        ProcessRunner.RunChecked("find", [root, "-path", Path.Combine(root, "long"), "-prune", "-o", "-printf", "%P %y\\n"]).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
}
